import { CaribouWorkflow } from '@caribou/sdk';

/**
 * A workflow whose heavy function reads data that lives in the home region:
 *
 *   ingest ──▶ summarize (reads its orders in us-east-1, 16 KiB per invocation)
 *
 * `summarize` declares where its data lives (`dataRegion`). Moving it to a cleaner region (the
 * config allows eu-north-1, whose grid is far cleaner than us-east-1's but ~110 ms away) then
 * costs a round trip to its data on every invocation and the transfer of what it reads, and
 * the plan says so (Δ p95 runtime, Δ cost). The local provider simulates the read: a function
 * whose `CARIBOU_DATA_REGION` is another region waits one round trip (from the latency matrix)
 * before its code runs.
 */
export const workflow = new CaribouWorkflow({ name: 'data_locality', version: '0.0.1' });

interface Request {
  customer?: unknown;
}

/** `caribou run -a '<json>'` delivers the argument as a JSON string; other callers send the object. */
function readRequest(event: unknown): Request {
  const value: unknown = typeof event === 'string' && event.trim() !== '' ? JSON.parse(event) : event;
  return typeof value === 'object' && value !== null ? (value as Request) : {};
}

export const ingest = workflow.serverlessFunction({ name: 'ingest', entryPoint: true }, async (event: unknown) => {
  const request = readRequest(event);
  const customer = typeof request.customer === 'string' ? request.customer : 'anonymous';
  workflow.invokeServerlessFunction(summarize, { customer });
  return { status: 200 };
});

export const summarize = workflow.serverlessFunction(
  {
    name: 'summarize',
    dataRegion: { provider: 'local', region: 'us-east-1' },
    dataBytesPerInvocation: 16 * 1024,
  },
  async (event: { customer?: string }) => {
    // Where the orders are read from: process.env.CARIBOU_DATA_REGION ('local:us-east-1').
    const orders = Array.from({ length: 2000 }, (_, i) => ((i * 7919) % 1000) / 10);
    const total = orders.reduce((sum, amount) => sum + amount, 0);
    // Stands in for the heavy part of the work (a steady 400 ms, so runs measure the placement, not the machine).
    await new Promise((resolve) => setTimeout(resolve, 400));
    return { status: 200, customer: event.customer ?? 'anonymous', orders: orders.length, total };
  },
);
