import { createApp } from 'vue';
import App from './App.vue';
import { installHook } from './wall/hook';
import './style.css';

installHook();
createApp(App).mount('#app');
