import { z } from 'zod'

/**
 * How a rule looks at more than one sample: a reducer over a time window ("avg cpu over 1 min"), or
 * "N of the last M samples". Imports nothing of ours, so the profile schema can use it.
 */

/** Shortest time window, in seconds. */
export const WINDOW_MIN_SECONDS = 1
/** Longest time window, in seconds (one hour). */
export const WINDOW_MAX_SECONDS = 3600
/** Most samples an "N of the last M" window looks at. */
export const SAMPLE_WINDOW_MAX = 1000

/**
 * What a time window reduces its samples to.
 * - `last`, `avg`, `min`, `max`, `sum`: of the numeric values in the window;
 * - `count`: how many samples; `rate`: samples per second over the whole window;
 * - `p50`, `p90`, `p99`: percentiles by nearest rank (the smallest value with at least that share of
 *   the samples at or below it).
 */
export const reducerSchema = z.enum([
  'last',
  'avg',
  'min',
  'max',
  'sum',
  'count',
  'rate',
  'p50',
  'p90',
  'p99',
])
export type Reducer = z.infer<typeof reducerSchema>

/** Reducers that read a missing sample as zero, so they judge a window only once it has been watched whole. */
export const COUNTING_REDUCERS: ReadonlySet<Reducer> = new Set(['sum', 'count', 'rate'])

const windowSeconds = z
  .number()
  .min(WINDOW_MIN_SECONDS, `must be at least ${WINDOW_MIN_SECONDS} s`)
  .max(WINDOW_MAX_SECONDS, `must be at most ${WINDOW_MAX_SECONDS} s (1 h)`)

/** A reducer over the samples of the last `seconds`. */
export const timeWindowSchema = z.object({
  kind: z.literal('time'),
  reducer: reducerSchema,
  seconds: windowSeconds,
})

/** The condition holds for at least `count` of the last `of` samples. */
export const sampleWindowSchema = z
  .object({
    kind: z.literal('samples'),
    count: z.number().int().min(1),
    of: z.number().int().min(1).max(SAMPLE_WINDOW_MAX),
  })
  .refine((window) => window.count <= window.of, {
    message: 'count: must be at most "of"',
    path: ['count'],
  })

/** A condition rule's window; absent means each sample is judged alone. */
export const ruleWindowSchema = z.discriminatedUnion('kind', [timeWindowSchema, sampleWindowSchema])
export type TimeWindow = z.infer<typeof timeWindowSchema>
export type SampleWindow = z.infer<typeof sampleWindowSchema>
export type RuleWindow = z.infer<typeof ruleWindowSchema>

/** The comparisons a count or a reduced number can make. */
export const orderingSchema = z.enum(['>', '>=', '<', '<='])
export type Ordering = z.infer<typeof orderingSchema>

/** How an event-count rule is written: "more than 5 `incident` events in 5 min". */
export const eventCountFields = {
  /** Only events of this name; absent counts every event. */
  event: z.string().min(1).optional(),
  operator: orderingSchema,
  count: z.number().int().min(0),
  windowSeconds,
  /** How long the count must stay past the threshold before the alert fires. */
  pendingSeconds: z.number().min(0).default(0),
}
