import { formatCaribouLine, formatReportLine, LogMessages } from '../log-messages';

/** Test support (not exported): the log lines of one run of a two-function workflow A → B. */
export const INSTANCE_A = 'wf-0_0_1-A:entry_point:0';
export const INSTANCE_B = 'wf-0_0_1-B:wf-0_0_1-A_0_0:1';
export const US_EAST_1 = { provider: 'aws', region: 'us-east-1' };

export interface LinearRunOptions {
  runId: string;
  /** Entry point start, epoch ms. */
  startMs: number;
  /** Region of B (A runs in us-east-1). */
  regionB?: string;
  /** Put `Init Duration` in B's REPORT line. */
  coldStartB?: boolean;
  /** Let B's user code raise. */
  failB?: boolean;
  /** Milliseconds from A's start to B's INVOKED line. */
  latencyMs?: number;
}

export interface LinearRun {
  linesA: string[];
  linesB: string[];
  insightsA: string[];
  insightsB: string[];
}

export function linearRun(options: LinearRunOptions): LinearRun {
  const { runId, startMs } = options;
  const reqA = `${runId}-a`;
  const reqB = `${runId}-b`;
  const regionB = options.regionB ?? 'us-east-1';
  const latencyMs = options.latencyMs ?? 150;
  const a = (offsetMs: number, message: string) => formatCaribouLine(startMs + offsetMs, reqA, runId, message);
  const b = (offsetMs: number, message: string) => formatCaribouLine(startMs + offsetMs, reqB, runId, message);
  const linesA = [
    a(
      0,
      LogMessages.entryPoint({
        instance: INSTANCE_A,
        workflowId: 'wf-0.0.1',
        userPayloadSizeGb: 1e-6,
        redirected: false,
        initLatencyFromClientS: 0.5,
        initLatencyFirstReceivedS: 0,
        timeFromFunctionStartS: 0.001,
        requestSource: 'Caribou CLI',
        wpdSizeGb: 2e-6,
        consumedReadCapacity: 1,
      }),
    ),
    a(0, LogMessages.invoked({ instance: INSTANCE_A, taint: null, hops: 1 })),
    a(
      50,
      LogMessages.invokingSuccessor({
        instance: INSTANCE_A,
        successor: INSTANCE_B,
        payloadSizeGb: 3e-6,
        taint: `${runId}-t1`,
        provider: 'aws',
        region: regionB,
        successorInvoked: true,
        invocationTimeFromFunctionStartS: 0.05,
        finishTimeFromInvocationStartS: 0.04,
      }),
    ),
    a(150, LogMessages.executed({ instance: INSTANCE_A, userExecutionTimeS: 0.1, totalExecutionTimeS: 0.15 })),
    a(151, LogMessages.usedCpuModel({ cpuModel: 'cpuA', instance: INSTANCE_A, fromRedirector: false })),
    formatReportLine({ requestId: reqA, durationMs: 160, memorySizeMb: 1769, maxMemoryUsedMb: 100 }),
  ];
  const linesB = [
    b(50 + latencyMs, LogMessages.invoked({ instance: INSTANCE_B, taint: `${runId}-t1`, hops: 2 })),
    ...(options.failB ? [b(60 + latencyMs, LogMessages.clientCodeException({ instance: INSTANCE_B, error: 'boom' }))] : []),
    b(250 + latencyMs, LogMessages.executed({ instance: INSTANCE_B, userExecutionTimeS: 0.2, totalExecutionTimeS: 0.2 })),
    b(251 + latencyMs, LogMessages.usedCpuModel({ cpuModel: 'cpuB', instance: INSTANCE_B, fromRedirector: false })),
    formatReportLine({
      requestId: reqB,
      durationMs: 210,
      memorySizeMb: 1769,
      maxMemoryUsedMb: 100,
      ...(options.coldStartB && { initDurationMs: 420 }),
    }),
  ];
  return {
    linesA,
    linesB,
    insightsA: [JSON.stringify({ request_id: reqA, total_memory: 1769, duration: 160, cpu_total_time: 80, total_network: 4096 })],
    insightsB: [JSON.stringify({ request_id: reqB, total_memory: 1769, duration: 210, cpu_total_time: 21, total_network: 0 })],
  };
}
