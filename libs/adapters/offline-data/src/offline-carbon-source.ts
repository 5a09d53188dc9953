import type { CarbonLocation, CarbonReading, CarbonSource, Clock } from '@caribou/ports';
import { loadShippedDataset, type OfflineDataset } from './dataset';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const mean = (values: readonly number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;

/**
 * Carbon intensity from the shipped dataset, by region code, most specific first:
 *  1. zones with hourly data (13 regions): the 2024 hour-of-day profile of the current
 *     calendar month (UTC hours, lifecycle basis), overall = mean of its 24 hours;
 *  2. other zones: the latest Electricity Maps yearly lifecycle average, same at every hour;
 *  3. AWS codes outside the dataset: the Cloud Carbon Footprint grid factor, flat;
 *  4. nothing: undefined — the collector then writes the reference's 475 worst case.
 * The profiles are climatology (what that month looked like in 2024), not a forecast.
 */
export class OfflineCarbonSource implements CarbonSource {
  readonly name = 'offline dataset';

  constructor(
    private readonly clock: Clock = { now: () => Date.now() },
    private readonly dataset: OfflineDataset = loadShippedDataset(),
  ) {}

  async read(location: CarbonLocation): Promise<CarbonReading | undefined> {
    const region = this.dataset.regions.find((candidate) => candidate.code === location.code);
    if (region) {
      const profile = this.dataset.hourOfDay.get(region.zone);
      if (profile) {
        const month = new Date(this.clock.now()).getUTCMonth() + 1;
        const hourly = profile.byMonth.get(month)!;
        return {
          data: { kind: 'profile', hourly: [...hourly], overall: mean(hourly) },
          source: 'offline:hour-of-day-profile',
          notes: [`Electricity Maps zone ${region.zone}, mean of ${MONTHS[month - 1]} ${profile.year} by UTC hour (lifecycle)`],
        };
      }
      const yearly = this.dataset.latestYearly.get(region.zone);
      if (yearly) {
        return {
          data: { kind: 'profile', hourly: new Array(24).fill(yearly.gco2PerKwh), overall: yearly.gco2PerKwh },
          source: `offline:yearly-${yearly.year}`,
          notes: [`Electricity Maps zone ${region.zone}, yearly lifecycle average ${yearly.year}, same value every hour`],
        };
      }
    }
    const ccf = this.dataset.ccfGramsPerKwh.get(location.code);
    if (ccf !== undefined) {
      return {
        data: { kind: 'profile', hourly: new Array(24).fill(ccf), overall: ccf },
        source: 'offline:ccf-factor',
        notes: [`Cloud Carbon Footprint grid factor for ${location.code}, same value every hour`],
      };
    }
    return undefined;
  }
}
