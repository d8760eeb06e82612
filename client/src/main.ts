import { createApp } from 'vue';
import App from './App.vue';
import { installHook } from './wall/hook';
import { useDemoStore } from './wall/store';
import './style.css';

// Dev only (`vite dev`, then /?demo): a local fake feed for screenshots without a server.
// The whole branch is dropped from production builds.
if (import.meta.env.DEV && new URLSearchParams(location.search).has('demo')) {
  const { createDemoStore } = await import('./dev/fake-snapshot');
  useDemoStore(createDemoStore);
}

installHook();
createApp(App).mount('#app');
