/**
 * Units and number formatting for panels, thresholds and alert texts: Grafana's common units under
 * Grafana's ids, so a person who knows one knows the other. A unit id that is not in {@link UNITS}
 * is a suffix written as it is (`°C`, `jobs`), which is also how profiles older than the unit list
 * stored their units.
 */

/** The units offered in the panel editor, by Grafana id. */
export const UNIT_IDS = [
  'none',
  'percentunit',
  'percent',
  'ms',
  's',
  'bytes',
  'bps',
  'reqps',
] as const

/** A unit Feedwatch knows how to scale and label. */
export type UnitId = (typeof UNIT_IDS)[number]

/** What a unit is called in a menu. */
export const UNIT_LABELS: Readonly<Record<UnitId, string>> = {
  none: 'None',
  percentunit: 'Percent (0.0–1.0)',
  percent: 'Percent (0–100)',
  ms: 'Milliseconds (ms)',
  s: 'Seconds (s)',
  bytes: 'Bytes (IEC: KiB, MiB)',
  bps: 'Bits per second (b/s)',
  reqps: 'Requests per second (req/s)',
}

/** How a unit is named where space is short (a panel's header): `%`, `ms`, `req/s`. */
export function unitName(unit: string): string {
  switch (unit) {
    case 'none':
      return ''
    case 'percentunit':
    case 'percent':
      return '%'
    case 'bps':
      return 'b/s'
    case 'reqps':
      return 'req/s'
    default:
      return unit
  }
}

/** Most decimals a panel may ask for. */
export const MAX_DECIMALS = 6

/** A value as shown: the number and what follows it, for layouts that set them apart (a tile). */
export interface FormattedValue {
  /** `46`, `1.5`, `2,048` */
  readonly number: string
  /** `%`, `ms`, `MiB`, or empty. */
  readonly suffix: string
}

/** One step of a scaled unit: values of at least `from` are divided by `divisor` and get `suffix`. */
interface Step {
  readonly from: number
  readonly divisor: number
  readonly suffix: string
}

const MS_STEPS: readonly Step[] = [
  { from: 0, divisor: 1, suffix: 'ms' },
  { from: 1000, divisor: 1000, suffix: 's' },
  { from: 60_000, divisor: 60_000, suffix: 'min' },
  { from: 3_600_000, divisor: 3_600_000, suffix: 'h' },
  { from: 86_400_000, divisor: 86_400_000, suffix: 'day' },
]

const IEC = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB']
const BYTE_STEPS: readonly Step[] = IEC.map((suffix, power) => ({
  from: power === 0 ? 0 : 1024 ** power,
  divisor: 1024 ** power,
  suffix,
}))

const BIT_RATE = ['b/s', 'kb/s', 'Mb/s', 'Gb/s', 'Tb/s']
const BIT_STEPS: readonly Step[] = BIT_RATE.map((suffix, power) => ({
  from: power === 0 ? 0 : 1000 ** power,
  divisor: 1000 ** power,
  suffix,
}))

/** Seconds scale like milliseconds, a thousand times larger. */
const SECOND_STEPS: readonly Step[] = [
  { from: 0, divisor: 1, suffix: 's' },
  ...MS_STEPS.slice(2).map((step) => ({
    from: step.from / 1000,
    divisor: step.divisor / 1000,
    suffix: step.suffix,
  })),
]

/** True when `unit` is one of the units Feedwatch scales and labels itself. */
export function isUnitId(unit: string): unit is UnitId {
  return (UNIT_IDS as readonly string[]).includes(unit)
}

const formats = new Map<string, Intl.NumberFormat>()

function numberFormat(minimum: number, maximum: number): Intl.NumberFormat {
  const key = `${minimum}|${maximum}`
  let format = formats.get(key)
  if (format === undefined) {
    format = new Intl.NumberFormat(undefined, {
      minimumFractionDigits: minimum,
      maximumFractionDigits: maximum,
    })
    formats.set(key, format)
  }
  return format
}

/**
 * How many decimals a number deserves by its size: none from 100 up (or for whole numbers), one
 * from 10, two from 1, and two significant digits below 1 (0.0012 keeps four).
 */
export function autoDecimals(value: number): number {
  const size = Math.abs(value)
  if (size >= 100 || Number.isInteger(value)) return 0
  if (size >= 10) return 1
  if (size >= 1) return 2
  return Math.min(8, 1 - Math.floor(Math.log10(size)))
}

/**
 * A plain number: `1,234`, `45.6`, `0.43`, `0.0012`. With `decimals`, exactly that many digits
 * after the point; without, as many as its size deserves ({@link autoDecimals}).
 */
export function formatNumber(value: number, decimals?: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? '∞' : '−∞'
  if (decimals !== undefined) return numberFormat(decimals, decimals).format(value)
  return numberFormat(0, autoDecimals(value)).format(value)
}

/** The step a value falls in: the largest whose `from` it reaches. */
function stepFor(value: number, steps: readonly Step[]): Step {
  const size = Math.abs(value)
  let chosen = steps[0] as Step
  for (const step of steps) if (size >= step.from) chosen = step
  return chosen
}

/** The value in the unit's scale (percent of a fraction, KiB of bytes) and its suffix. */
function scale(value: number, unit: string): { value: number; suffix: string } {
  switch (unit) {
    case '':
    case 'none':
      return { value, suffix: '' }
    case 'percentunit':
      return { value: value * 100, suffix: '%' }
    case 'percent':
      return { value, suffix: '%' }
    case 'reqps':
      return { value, suffix: 'req/s' }
    case 'ms':
    case 's':
    case 'bytes':
    case 'bps': {
      const steps = { ms: MS_STEPS, s: SECOND_STEPS, bytes: BYTE_STEPS, bps: BIT_STEPS }[unit]
      const step = stepFor(value, steps)
      return { value: value / step.divisor, suffix: step.suffix }
    }
    default:
      // A unit written by hand: shown after the number as it is.
      return { value, suffix: unit }
  }
}

/** A value in its unit, as two parts: `{ number: '46', suffix: '%' }` for 0.46 in `percentunit`. */
export function formatParts(value: number, unit = '', decimals?: number): FormattedValue {
  const scaled = scale(value, unit)
  return { number: formatNumber(scaled.value, decimals), suffix: scaled.suffix }
}

/**
 * A value in its unit, for text: `46 %` (0.46 as `percentunit`), `1.5 s` (1500 `ms`), `2 MiB`,
 * `0.43` without a unit. `decimals` fixes the digits after the point; by default they follow the
 * size of the scaled value.
 */
export function formatValue(value: number, unit = '', decimals?: number): string {
  const { number, suffix } = formatParts(value, unit, decimals)
  return suffix === '' ? number : `${number} ${suffix}`
}

/**
 * An axis tick in its unit: as many decimals as the distance between ticks needs in the tick's own
 * scale, so neighbouring ticks never read the same (`49.5 %`, `50 %`, `50.5 %`).
 */
export function formatTick(value: number, step: number, unit = ''): string {
  const scaled = scale(value, unit)
  const ratio = value === 0 ? scale(step, unit).value / (step || 1) : scaled.value / value
  const scaledStep = Math.abs(step * ratio)
  const decimals =
    scaledStep > 0 ? Math.max(0, Math.min(8, -Math.floor(Math.log10(scaledStep) + 1e-9))) : 2
  const number = numberFormat(0, decimals).format(scaled.value)
  return scaled.suffix === '' ? number : `${number} ${scaled.suffix}`
}
