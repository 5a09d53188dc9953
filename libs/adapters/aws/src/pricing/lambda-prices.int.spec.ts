import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AwsClients } from '../config';
import { emulatorClients } from '../testing/emulator';
import { fetchLambdaPrices } from './lambda-prices';
import { PricingUnavailableError } from './price-list-api';
import { listEnabledRegions } from './regions';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const arn = (region: string) => `arn:aws:pricing:::price-list/aws/AWSLambda/USD/20261101000000/${region}`;

/**
 * Recorded AWS Pricing API answers (JSON 1.1 protocol, as the SDK speaks it) and the
 * price-list files, served on 127.0.0.1. moto has no Pricing API (it answers HTTP 500).
 */
function recordedPricingApi(): { server: Server; requests: Array<{ target: string; body: Record<string, unknown> }>; missingFiles: Set<string> } {
  const requests: Array<{ target: string; body: Record<string, unknown> }> = [];
  const missingFiles = new Set<string>();
  const read = (request: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let text = '';
      request.on('data', (chunk) => (text += chunk));
      request.on('end', () => resolve(text));
    });
  const server = createServer(async (request, response) => {
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (request.method === 'GET' && request.url?.startsWith('/offers/')) {
      const region = request.url.split('/')[3]!;
      if (missingFiles.has(region)) {
        response.statusCode = 404;
        response.end('<Error>NoSuchKey</Error>');
        return;
      }
      try {
        const body = fixture(`aws-lambda-${region}.json`);
        response.setHeader('content-type', 'application/json');
        response.end(body);
      } catch {
        response.statusCode = 500;
        response.end();
      }
      return;
    }
    const target = String(request.headers['x-amz-target'] ?? '');
    const body = JSON.parse((await read(request)) || '{}') as Record<string, unknown>;
    requests.push({ target, body });
    response.setHeader('content-type', 'application/x-amz-json-1.1');
    if (target === 'AWSPriceListService.ListPriceLists') {
      const list = (region: string) => ({ PriceListArn: arn(region), RegionCode: region, CurrencyCode: 'USD', FileFormats: ['json', 'csv'] });
      response.end(
        JSON.stringify(
          body.NextToken === 'page-2' ? { PriceLists: [list('eu-south-1')] } : { PriceLists: [list('us-west-2'), list('ap-east-2')], NextToken: 'page-2' },
        ),
      );
    } else if (target === 'AWSPriceListService.GetPriceListFileUrl') {
      const region = String(body.PriceListArn).split('/').pop();
      response.end(JSON.stringify({ Url: `${origin}/offers/v1.0/${region}/aws/AWSLambda/20261101000000/index.json` }));
    } else {
      response.statusCode = 400;
      response.end(JSON.stringify({ __type: 'UnknownOperationException', message: target }));
    }
  });
  return { server, requests, missingFiles };
}

describe('Lambda prices from the Pricing API (recorded)', () => {
  const api = recordedPricingApi();
  let clients: AwsClients;

  beforeAll(async () => {
    await new Promise<void>((resolve) => api.server.listen(0, '127.0.0.1', resolve));
    clients = new AwsClients({ endpoint: `http://127.0.0.1:${(api.server.address() as AddressInfo).port}`, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  });

  afterAll(async () => {
    clients.destroy();
    await new Promise((resolve) => api.server.close(resolve));
  });

  it('reads every page of price lists, downloads the wanted regions and parses their SKUs', async () => {
    const effectiveDate = new Date('2026-11-22T00:00:00Z');
    const result = await fetchLambdaPrices(clients, ['us-west-2', 'eu-south-1', 'ca-west-1'], { effectiveDate });
    expect(result.missingRegions).toEqual(['ca-west-1']);
    expect(result.prices['us-west-2']).toEqual({
      lambda: { x86_64: { requestUsd: 2e-7, gbSecondUsd: 0.0000166667 }, arm64: { requestUsd: 2e-7, gbSecondUsd: 0.0000133334 } },
      freeTier: { requests: 1_000_000, gbSeconds: 400_000 },
      source: 'AWS Pricing API price list AWSLambda/us-west-2',
    });
    // No ARM SKUs in the region: ARM is not offered (0), as the reference records it.
    expect(result.prices['eu-south-1']?.lambda).toEqual({ x86_64: { requestUsd: 2.3e-7, gbSecondUsd: 0.0000195172 }, arm64: { requestUsd: 0, gbSecondUsd: 0 } });
    expect(result.prices['ap-east-2']).toBeUndefined();

    const lists = api.requests.filter((request) => request.target === 'AWSPriceListService.ListPriceLists');
    expect(lists).toHaveLength(2);
    expect(lists[0]!.body).toMatchObject({ ServiceCode: 'AWSLambda', CurrencyCode: 'USD', EffectiveDate: effectiveDate.getTime() / 1000 });
    const files = api.requests.filter((request) => request.target === 'AWSPriceListService.GetPriceListFileUrl').map((request) => request.body);
    expect(files).toEqual(expect.arrayContaining([{ PriceListArn: arn('us-west-2'), FileFormat: 'json' }, { PriceListArn: arn('eu-south-1'), FileFormat: 'json' }]));
    expect(files).toHaveLength(2);
  });

  it('reports a price-list file that cannot be downloaded as PricingUnavailableError', async () => {
    api.missingFiles.add('eu-south-1');
    try {
      const failure = fetchLambdaPrices(clients, ['eu-south-1']);
      await expect(failure).rejects.toBeInstanceOf(PricingUnavailableError);
      await expect(failure).rejects.toThrow('Could not download the AWSLambda price list of eu-south-1: HTTP 404; using the offline price data instead');
    } finally {
      api.missingFiles.delete('eu-south-1');
    }
  });
});

describe('live region catalog pieces on moto', () => {
  const clients = emulatorClients();
  afterAll(() => clients.destroy());

  it('lists the enabled regions from EC2 DescribeRegions, sorted', async () => {
    const regions = await listEnabledRegions(clients);
    expect(regions).toEqual([...regions].sort());
    expect(regions).toEqual(expect.arrayContaining(['us-east-1', 'us-west-2', 'eu-central-1']));
  });

  it('turns the Pricing API’s HTTP 500 into PricingUnavailableError so collectors fall back to offline prices', async () => {
    const failure = fetchLambdaPrices(clients, ['us-west-2']);
    await expect(failure).rejects.toBeInstanceOf(PricingUnavailableError);
    await expect(failure).rejects.toThrow('AWS Pricing API (us-east-1) failed on ListPriceLists for AWSLambda: HTTP 500; using the offline price data instead');
  });
});
