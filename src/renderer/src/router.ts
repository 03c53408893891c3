import {
  createRouter,
  createWebHashHistory,
  type RouteRecordRaw,
  type Router,
  type RouterHistory,
} from 'vue-router'
import AlertsView from './views/AlertsView.vue'
import DashboardView from './views/DashboardView.vue'
import FeedsIndexView from './views/FeedsIndexView.vue'
import FeedsView from './views/FeedsView.vue'
import FeedView from './views/FeedView.vue'
import WallView from './views/WallView.vue'

/** The tabs of a feed's page, in the order they show; the first is the default. */
export const FEED_TABS = ['events', 'charts', 'alerts'] as const
export type FeedTab = (typeof FEED_TABS)[number]

/** What each section is called, in the navigation and in the window title. */
export const SECTION_TITLES = {
  dashboard: 'Dashboard',
  feeds: 'Feeds',
  alerts: 'Alerts',
  wall: 'Ops wall',
} as const
export type Section = keyof typeof SECTION_TITLES

/**
 * The sections and their addresses. `#/` the dashboard, `#/feeds` and `#/feeds/<id>[/charts|/alerts]`
 * a feed's page, `#/alerts` every alert, `#/wall[/<profile>]` the ops wall; anything else goes to
 * the dashboard.
 */
export const routes: readonly RouteRecordRaw[] = [
  { path: '/', name: 'dashboard', component: DashboardView, meta: { section: 'dashboard' } },
  {
    path: '/feeds',
    component: FeedsView,
    meta: { section: 'feeds' },
    children: [
      { path: '', name: 'feeds', component: FeedsIndexView },
      {
        path: `:feedId/:tab(${FEED_TABS.join('|')})?`,
        name: 'feed',
        component: FeedView,
        props: (route) => ({
          feedId: String(route.params['feedId']),
          tab: (route.params['tab'] || 'events') as FeedTab,
        }),
      },
    ],
  },
  { path: '/alerts', name: 'alerts', component: AlertsView, meta: { section: 'alerts' } },
  { path: '/wall/:profile?', name: 'wall', component: WallView, meta: { section: 'wall' } },
  { path: '/:unknown(.*)*', redirect: '/' },
]

/**
 * The app's router on hash history: addresses live after `#`, so the same build works from the
 * desktop app's file or scheme URL and from `feedwatch serve`, and the server needs no route table.
 */
export function createAppRouter(history: RouterHistory = createWebHashHistory()): Router {
  return createRouter({ history, routes: [...routes] })
}

/**
 * `feedwatch serve` also answers the paths `/wall` and `/wall/<profile>` (links people bookmark on
 * a TV): turn them into the hash route before the router reads the address.
 */
export function moveWallPathToHash(location: Location, history: History): void {
  const match = /\/wall(\/[^/]+)?\/?$/.exec(location.pathname)
  if (match === null || location.hash !== '') return
  const path = location.pathname.slice(0, match.index + 1)
  history.replaceState(history.state, '', `${path}${location.search}#/wall${match[1] ?? ''}`)
}

/** The section a route belongs to (nested routes inherit their parent's). */
export function sectionOf(route: { meta: Record<string | number | symbol, unknown> }): Section {
  const section = route.meta['section']
  return typeof section === 'string' && section in SECTION_TITLES
    ? (section as Section)
    : 'dashboard'
}
