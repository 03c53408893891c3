import type { ActiveAlert } from '../../shared/alerts'
import type { FeedStatus } from '../../shared/feed-status'
import type { Profile } from '../../shared/profile'
import type { ContactPointStats } from '../../shared/delivery'
import type { LatestPanelValue } from './panel-values'

/** What `/metrics` reads of one running profile, at scrape time. */
export interface ProfileMetrics {
  /** The profile's names for its feeds, panels and rules; labels are made from them. */
  readonly profile: Pick<Profile, 'name' | 'feeds' | 'panels'>
  readonly feeds: readonly FeedStatus[]
  readonly panelValues: readonly LatestPanelValue[]
  /** Pending and firing alerts. */
  readonly alerts: readonly ActiveAlert[]
  /** Delivery counters of the profile's contact points. */
  readonly deliveries: readonly ContactPointStats[]
}

/** Everything `/metrics` shows: one entry per running profile. */
export type MetricsSource = () => readonly ProfileMetrics[]
