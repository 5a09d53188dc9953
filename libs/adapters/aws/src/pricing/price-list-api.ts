import { GetPriceListFileUrlCommand, paginateListPriceLists } from '@aws-sdk/client-pricing';
import { CaribouError } from '@caribou/domain-common';
import { PRICING_API_REGION, type AwsClients } from '../config';
import { describeError } from '../errors';

/** The Pricing API or a price-list file could not be read; collectors fall back to the offline prices. */
export class PricingUnavailableError extends CaribouError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PricingUnavailableError';
  }
}

export interface PriceListFetchOptions {
  /** Prices in effect at this time. Default now. */
  effectiveDate?: Date;
  currencyCode?: string;
  /** HTTP client for the price-list file URLs. Default global fetch. */
  fetch?: typeof fetch;
  /** Price-list files fetched at once. Default 4. */
  concurrency?: number;
}

function httpStatus(error: unknown): number | undefined {
  const candidate = error as { $metadata?: { httpStatusCode?: number }; $response?: { statusCode?: number } };
  return candidate?.$metadata?.httpStatusCode ?? candidate?.$response?.statusCode;
}

function unavailable(call: string, serviceCode: string, error: unknown): PricingUnavailableError {
  const status = httpStatus(error);
  const detail = status !== undefined ? `HTTP ${status}` : describeError(error);
  return new PricingUnavailableError(
    `AWS Pricing API (${PRICING_API_REGION}) failed on ${call} for ${serviceCode}: ${detail}; using the offline price data instead`,
    { cause: error },
  );
}

/**
 * The AWS price-list files of a service for the given regions (ListPriceLists, paginated;
 * GetPriceListFileUrl; HTTP GET of the JSON file), keyed by region code. Regions without a
 * price list are absent from the result.
 */
export async function fetchPriceListFiles(
  clients: AwsClients,
  serviceCode: string,
  regionCodes: readonly string[],
  options: PriceListFetchOptions = {},
): Promise<Map<string, unknown>> {
  const pricing = clients.pricing(PRICING_API_REGION);
  const wanted = new Set(regionCodes);
  const arns = new Map<string, string>();
  try {
    const pages = paginateListPriceLists(
      { client: pricing },
      { ServiceCode: serviceCode, EffectiveDate: options.effectiveDate ?? new Date(), CurrencyCode: options.currencyCode ?? 'USD' },
    );
    for await (const page of pages) {
      for (const list of page.PriceLists ?? []) {
        if (list.RegionCode && list.PriceListArn && wanted.has(list.RegionCode) && !arns.has(list.RegionCode)) arns.set(list.RegionCode, list.PriceListArn);
      }
    }
  } catch (error) {
    throw unavailable('ListPriceLists', serviceCode, error);
  }

  const fetchImpl = options.fetch ?? fetch;
  const files = new Map<string, unknown>();
  const entries = [...arns.entries()];
  const concurrency = Math.max(1, options.concurrency ?? 4);
  for (let start = 0; start < entries.length; start += concurrency) {
    await Promise.all(
      entries.slice(start, start + concurrency).map(async ([region, arn]) => {
        let url: string | undefined;
        try {
          url = (await pricing.send(new GetPriceListFileUrlCommand({ PriceListArn: arn, FileFormat: 'json' }))).Url;
        } catch (error) {
          throw unavailable('GetPriceListFileUrl', serviceCode, error);
        }
        if (!url) throw new PricingUnavailableError(`AWS Pricing API returned no file URL for ${serviceCode} in ${region}; using the offline price data instead`);
        try {
          const response = await fetchImpl(url, { signal: AbortSignal.timeout(60_000) });
          if (!response.ok) throw new Error(`HTTP ${response.status}`);
          files.set(region, await response.json());
        } catch (error) {
          throw new PricingUnavailableError(
            `Could not download the ${serviceCode} price list of ${region}: ${describeError(error)}; using the offline price data instead`,
            { cause: error },
          );
        }
      }),
    );
  }
  return files;
}
