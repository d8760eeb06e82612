import { createApp } from 'vue';
import App from './App.vue';
import { makeRouter } from './router';
import { loadSettings } from './lib/zone';
import { installHook } from './wall/hook';
import './style.css';

installHook();

// The report zone comes from the server before anything is drawn: every time on every page is
// in it. A server not answering yet (a wall PC booting before the server) is asked again.
async function start(): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await loadSettings();
      break;
    } catch {
      const app = document.getElementById('app');
      if (app && attempt === 0) app.textContent = '正在连接服务器…';
      await new Promise((r) => setTimeout(r, 3000));
    }
  }
  const router = makeRouter();
  const app = createApp(App).use(router);
  // The first route resolved before mounting: a lazy page does not flash the wall's login first.
  await router.isReady();
  app.mount('#app');
}

void start();
