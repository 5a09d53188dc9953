import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseLambdaPriceList } from './lambda-prices';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

describe('parseLambdaPriceList', () => {
  it('takes the first duration tier whatever the order of the dimensions', () => {
    expect(parseLambdaPriceList(fixture('aws-lambda-us-west-2.json'), 'us-west-2').lambda?.x86_64?.gbSecondUsd).toBe(0.0000166667);
  });

  it('leaves x86 prices and the free tier unknown (null) when their SKUs are missing, so defaults apply', () => {
    const file = fixture('aws-lambda-us-west-2.json');
    for (const [sku, product] of Object.entries<{ attributes: Record<string, string> }>(file.products)) {
      if (product.attributes.group === 'AWS-Lambda-Requests' || product.attributes.location === 'Any') delete file.products[sku];
    }
    const parsed = parseLambdaPriceList(file, 'us-west-2');
    expect(parsed.lambda?.x86_64).toEqual({ requestUsd: null, gbSecondUsd: 0.0000166667 });
    expect(parsed.freeTier).toBeNull();
  });

  it('ignores SKUs of other regions in the same file', () => {
    const file = fixture('aws-lambda-us-west-2.json');
    file.products.OTHERREGIONREQ = {
      sku: 'OTHERREGIONREQ',
      attributes: { group: 'AWS-Lambda-Requests', location: 'US East (Ohio)', regionCode: 'us-east-2' },
    };
    file.terms.OnDemand.OTHERREGIONREQ = { 'OTHERREGIONREQ.T': { priceDimensions: { d: { beginRange: '0', endRange: 'Inf', pricePerUnit: { USD: '9' } } } } };
    // Insert it first so a parser that takes the first match would pick it.
    file.products = { OTHERREGIONREQ: file.products.OTHERREGIONREQ, ...file.products };
    expect(parseLambdaPriceList(file, 'us-west-2').lambda?.x86_64?.requestUsd).toBe(2e-7);
  });

  it('rejects a file without products', () => {
    expect(() => parseLambdaPriceList({ formatVersion: 'v1.0' }, 'us-west-2')).toThrow('The AWSLambda price list of us-west-2 has no products');
  });
});
