import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import WallView from './components/WallView.vue';

// The pages of the one client. The wall (/) is in the entry chunk, as before; every other page
// is a chunk of its own that the wall never loads, the admin console's component library in
// its chunks only.

declare module 'vue-router' {
  interface RouteMeta {
    /** The page has its own login (the console's form): App.vue does not ask for the wall's. */
    ownLogin?: boolean;
    /** The login form asks for a wall screen's account or its enrolment code. */
    wallLogin?: boolean;
    /** What the login form says under its title. */
    subtitle?: string;
  }
}

export const routes: RouteRecordRaw[] = [
  // /?playlist=…: the wall cycling through its views (App.vue picks the page by the query).
  { path: '/', name: 'wall', component: WallView, meta: { wallLogin: true } },
  { path: '/wall', redirect: (to) => ({ path: '/', query: to.query }) },
  { path: '/supervisor', name: 'supervisor', component: () => import('./supervisor/SupervisorPage.vue'), meta: { ownLogin: true } },
  { path: '/bulletin', name: 'bulletin', component: () => import('./bulletin/BulletinPage.vue'), meta: { subtitle: '统计与回放 · 登录' } },
  { path: '/replay', name: 'replay', component: () => import('./replay/ReplayPage.vue'), meta: { subtitle: '统计与回放 · 登录' } },
  { path: '/admin/:section?', name: 'admin', component: () => import('./admin/AdminPage.vue'), meta: { ownLogin: true } },
  // An unknown path is the wall, as the server serves the one page for every client path.
  { path: '/:rest(.*)*', redirect: (to) => ({ path: '/', query: to.query }) },
];

export function makeRouter() {
  return createRouter({ history: createWebHistory(), routes, strict: false });
}
