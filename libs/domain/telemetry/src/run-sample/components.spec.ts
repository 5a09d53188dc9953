import { describe, expect, it } from 'vitest';
import { MalformedLogError } from '../malformed-log-error';
import { parseTimeMicros } from '../time-micros';
import { ExecutionData } from './execution-data';
import { StartHopData } from './start-hop-data';
import { SuccessorCall } from './successor-call';
import { TransmissionData } from './transmission-data';

const GB = 1024 ** 3;

/** reference-system §11.2 "Syncer components". */
describe('ExecutionData', () => {
  function example(): ExecutionData {
    const execution = new ExecutionData('instance');
    execution.requestId = 'request';
    execution.finished = true;
    execution.inputPayloadSizeGb = 1;
    execution.downloadSizeGb = 2;
    const call = execution.successor('successor');
    call.syncDataResponseSizeGb = 3;
    call.outputPayloadSizeGb = 4;
    execution.platform = { totalNetworkBytes: 10 * GB, durationS: 3, cpuTotalTimeS: 3, totalMemoryMb: 1769 };
    return execution;
  }

  it('to_dict example: transfer during execution 1, utilisation 1.0, input 5 (payload excluded), output 4', () => {
    const record = example().toRecord();
    expect(record.data_transfer_during_execution_gb).toBe(1);
    expect(record.cpu_utilization).toBe(1.0);
    expect(record.additional_analysis_data).toEqual({
      input_payload_size_gb: 1,
      download_size_gb: 2,
      total_input_data_transfer_gb: 5.0,
      total_output_data_transfer_gb: 4.0,
    });
    expect(record.duration_s).toBe(3);
    expect(record.cold_start).toBeUndefined();
  });

  it('longest duration is the max of user, total and platform duration; 0 when none is known', () => {
    const execution = new ExecutionData('instance');
    expect(execution.longestDurationS()).toBe(0);
    execution.userExecutionDurationS = 1;
    execution.executionDurationS = 2;
    execution.platform = { durationS: 3 };
    expect(execution.longestDurationS()).toBe(3);
    execution.platform = { durationS: 0.5 };
    expect(execution.longestDurationS()).toBe(2);
  });

  it('utilisation: zero CPU time means 1.0, no CPU time means unknown (omitted)', () => {
    const execution = example();
    execution.platform = { durationS: 3, cpuTotalTimeS: 0, totalMemoryMb: 1769 };
    expect(execution.cpuUtilization()).toBe(1.0);
    execution.platform = { durationS: 3, totalMemoryMb: 1769 };
    expect(execution.cpuUtilization()).toBeUndefined();
    expect('cpu_utilization' in execution.toRecord()).toBe(false);
    expect(execution.toRecord().data_transfer_during_execution_gb).toBe(0);
  });

  it('scales utilisation by vCPUs (memory / 1769 MB)', () => {
    const execution = example();
    execution.platform = { durationS: 1, cpuTotalTimeS: 1, totalMemoryMb: 3538 };
    execution.userExecutionDurationS = undefined;
    expect(execution.cpuUtilization()).toBe(0.5);
  });

  it('flags a cold start on the record', () => {
    const execution = example();
    execution.platform = { ...execution.platform, coldStart: true };
    expect(execution.toRecord().cold_start).toBe(true);
  });

  it('is complete only with a request id and its own EXECUTED line', () => {
    const execution = new ExecutionData('instance');
    execution.requestId = 'request';
    expect(execution.isComplete()).toBe(false);
    execution.finished = true;
    expect(execution.isComplete()).toBe(true);
  });
});

describe('SuccessorCall (ExecutionToSuccessorData)', () => {
  it('an empty record is {}', () => {
    expect(new SuccessorCall('s').toRecord()).toEqual({});
  });

  it('leaves out a zero write capacity, as the reference tests it for truthiness', () => {
    const call = new SuccessorCall('s');
    call.taskType = 'INVOKE_SUCCESSOR_ONLY';
    call.consumedWriteCapacity = 0;
    expect(call.toRecord()).toEqual({ task_type: 'INVOKE_SUCCESSOR_ONLY' });
  });
});

describe('TransmissionData', () => {
  it('latency from 10:00 to 11:00 is 3600.0 s', () => {
    const transmission = new TransmissionData('taint');
    transmission.startUs = parseTimeMicros('2024-03-09 10:00:00,000000+0000');
    transmission.endUs = parseTimeMicros('2024-03-09 11:00:00,000000+0000');
    expect(transmission.latencyS()).toBe(3600.0);
  });

  it('to_dict with only a size', () => {
    const transmission = new TransmissionData('taint');
    transmission.payloadSizeGb = 1.0;
    expect(transmission.toRecord()).toEqual({ transmission_size_gb: 1.0 });
  });

  it('sync flag with no sync fields gives an empty sync_information', () => {
    const transmission = new TransmissionData('taint');
    transmission.containsSyncInformation = true;
    expect(transmission.toRecord()).toEqual({ transmission_size_gb: 0.0, sync_information: {} });
  });

  it('is complete only with both instances and both regions', () => {
    const transmission = new TransmissionData('taint');
    transmission.fromInstance = 'a';
    transmission.toInstance = 'b';
    transmission.fromRegion = 'aws:us-east-1';
    expect(transmission.isComplete()).toBe(false);
    transmission.toRegion = 'aws:us-east-1';
    expect(transmission.isComplete()).toBe(true);
  });
});

describe('StartHopData', () => {
  it('subtracts an overridden placement decision from the transfer size and keeps the original', () => {
    const hop = new StartHopData();
    hop.userPayloadSizeGb = 1.0;
    hop.overriddenWpdSizeGb = 0.5;
    expect(hop.toRecord()).toMatchObject({ data_transfer_size_gb: 0.5, original_data_size_gb: 1.0, overridden_wpd_data_size: 0.5 });
  });

  it('never reports a negative transfer size', () => {
    const hop = new StartHopData();
    hop.userPayloadSizeGb = 0.2;
    hop.overriddenWpdSizeGb = 0.5;
    expect(hop.toRecord().data_transfer_size_gb).toBe(0);
  });

  it('minimal dict', () => {
    const hop = new StartHopData();
    hop.requestSource = 'Caribou CLI';
    hop.userPayloadSizeGb = 1e-6;
    expect(hop.toRecord()).toEqual({
      request_source: 'Caribou CLI',
      data_transfer_size_gb: 1e-6,
      workflow_placement_decision: { retrieved_wpd_at_function: false },
    });
  });

  function completeHop(): StartHopData {
    const hop = new StartHopData();
    hop.requestSource = 'Caribou CLI';
    hop.destination = 'aws:us-east-1';
    hop.userPayloadSizeGb = 1e-6;
    hop.wpdSizeGb = 2e-6;
    hop.consumedReadCapacity = 1;
    hop.timeFromFunctionStartToEntryPointS = 0.001;
    hop.latencyFromClientS = 0.5;
    return hop;
  }

  it('a redirector seen with two request ids makes the start hop incomplete', () => {
    const hop = completeHop();
    expect(hop.isComplete()).toBe(true);
    const redirector = hop.redirectorExecution('entry', 'r1');
    redirector.finished = true;
    expect(hop.isComplete()).toBe(true);
    hop.redirectorExecution('entry', 'r2');
    expect(hop.isComplete()).toBe(false);
  });

  it('a redirector under another instance name is malformed input', () => {
    const hop = completeHop();
    hop.redirectorExecution('entry', 'r1');
    expect(() => hop.redirectorExecution('other', 'r1')).toThrow(MalformedLogError);
  });
});
