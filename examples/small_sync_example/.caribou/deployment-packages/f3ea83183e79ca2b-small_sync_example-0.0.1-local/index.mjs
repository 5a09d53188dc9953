import { createRequire as __caribouRequire } from 'node:module'; const require = __caribouRequire(import.meta.url);

// libs/domain/common/src/py-repr.ts
function pyRepr(value) {
  if (Number.isNaN(value)) return "nan";
  if (value === Infinity) return "inf";
  if (value === -Infinity) return "-inf";
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  const sign = value < 0 ? "-" : "";
  const [mantissa, exponentText] = Math.abs(value).toExponential().split("e");
  const exponent = Number(exponentText);
  const digits = mantissa.replace(".", "");
  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.slice(1);
    const exp = `${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
    return `${sign}${digits[0]}${fraction ? `.${fraction}` : ""}e${exp}`;
  }
  if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  const integerDigits = exponent + 1;
  if (digits.length <= integerDigits) return `${sign}${digits.padEnd(integerDigits, "0")}.0`;
  return `${sign}${digits.slice(0, integerDigits)}.${digits.slice(integerDigits)}`;
}
function pyBool(value) {
  return value ? "True" : "False";
}

// libs/domain/common/src/time-format.ts
var pad = (n, width = 2) => String(n).padStart(width, "0");
function formatTime(epochMs, withZone = true) {
  const whole = Math.floor(epochMs);
  const d = new Date(whole);
  const micros = Math.round((epochMs - whole) * 1e3) + d.getUTCMilliseconds() * 1e3;
  const carry = micros >= 1e6 ? 1 : 0;
  const date = carry ? new Date(whole - d.getUTCMilliseconds() + 1e3) : d;
  const us = carry ? micros - 1e6 : micros;
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())},${pad(us, 6)}` + (withZone ? "+0000" : "");
}
var TIME_PATTERN = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}),(\d{6})([+-]\d{4})?$/;
function parseTime(text) {
  const m = TIME_PATTERN.exec(text.trim());
  if (!m) throw new Error(`time '${text}' does not match %Y-%m-%d %H:%M:%S,%f%z`);
  const [, y, mo, d, h, mi, s, us, zone] = m;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) + Number(us) / 1e3;
  if (zone) {
    const sign = zone.startsWith("-") ? -1 : 1;
    const offsetMinutes = Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5));
    ms -= sign * offsetMinutes * 6e4;
  }
  return ms;
}
function formatIsoMillis(epochMs) {
  return new Date(Math.floor(epochMs)).toISOString();
}

// libs/domain/common/src/units.ts
var BYTES_PER_GB = 1024 ** 3;
function utf8Length(text) {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 128) bytes += 1;
    else if (code < 2048) bytes += 2;
    else if (code >= 55296 && code <= 56319) {
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return bytes;
}
function stringSizeGb(text) {
  return utf8Length(text) / BYTES_PER_GB;
}

// libs/domain/common/src/constants.ts
var LOG_VERSION = "0.0.4";
var HOME_REGION_THRESHOLD = 0.1;
var MAXIMUM_HOPS_FROM_CLIENT_REQUEST = 20;
var MAX_TRANSFER_SIZE = 256e3;
var Tables = {
  workflowPlacementDecision: "workflow_placement_decision_table",
  workflowPlacementSolverStagingArea: "workflow_placement_solver_staging_area_table",
  deploymentManagerResource: "deployment_manager_resource_table",
  deploymentManagerWorkflowInfo: "deployment_manager_workflow_info_table",
  deploymentResources: "deployment_resources_table",
  workflowImages: "caribou_workflow_images_table",
  availableRegions: "available_regions_table",
  providerRegion: "provider_region_table",
  provider: "provider_table",
  carbonRegion: "carbon_region_table",
  performanceRegion: "performance_region_table",
  workflowSummary: "workflow_summary_table",
  workflowInstance: "workflow_instance_table",
  /** Ours: every resource a deploy or migration created, so remove deletes exactly these. */
  resourceLedger: "caribou_resource_ledger_table"
};

// libs/domain/common/src/errors.ts
var CaribouError = class extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = "CaribouError";
  }
};

// libs/sdk/src/invocation-context.ts
import { AsyncLocalStorage } from "node:async_hooks";
var STORAGE_KEY = /* @__PURE__ */ Symbol.for("caribou.sdk.invocation-scope");
var globalSlot = globalThis;
var storage = globalSlot[STORAGE_KEY] ??= new AsyncLocalStorage();
function runInInvocation(scope, body) {
  return storage.run(scope, body);
}
function currentInvocation(call) {
  const scope = storage.getStore();
  if (!scope) throw new CaribouError(`${call}() can only be called while a workflow function runs`);
  return scope;
}

// libs/sdk/src/workflow.ts
var CaribouFunction = class {
  constructor(workflow3, name, handler, entryPoint, regionsAndProviders, environmentVariables, allowPlacementDecisionOverride) {
    this.workflow = workflow3;
    this.name = name;
    this.handler = handler;
    this.entryPoint = entryPoint;
    this.regionsAndProviders = regionsAndProviders;
    this.environmentVariables = environmentVariables;
    this.allowPlacementDecisionOverride = allowPlacementDecisionOverride;
  }
  workflow;
  name;
  handler;
  entryPoint;
  regionsAndProviders;
  environmentVariables;
  allowPlacementDecisionOverride;
};
var CaribouWorkflow = class {
  name;
  version;
  registry = /* @__PURE__ */ new Map();
  handlers = /* @__PURE__ */ new Set();
  constructor(options) {
    if (!options || typeof options.name !== "string" || typeof options.version !== "string") {
      throw new CaribouError("CaribouWorkflow needs { name: string, version: string }");
    }
    this.name = options.name;
    this.version = options.version;
  }
  /** All registered functions in registration order. */
  get functions() {
    return [...this.registry.values()];
  }
  getFunction(name) {
    return this.registry.get(name);
  }
  serverlessFunction(options, handler) {
    if (typeof handler !== "function") throw new CaribouError("serverlessFunction needs a handler function");
    const name = options.name ?? handler.name;
    if (!name) throw new CaribouError("serverlessFunction needs a name: pass { name } or a named handler function");
    if (name.includes(":")) throw new CaribouError("Function name cannot contain ':'");
    const environmentVariables = options.environmentVariables ?? [];
    validateEnvironmentVariables(environmentVariables);
    if (this.handlers.has(handler)) {
      throw new CaribouError(`Function with function name ${handler.name || name} already registered`);
    }
    if (this.registry.has(name)) throw new CaribouError(`Function with given name ${name} already registered`);
    const fn = new CaribouFunction(
      this,
      name,
      handler,
      options.entryPoint ?? false,
      options.regionsAndProviders ?? {},
      environmentVariables,
      options.allowPlacementDecisionOverride ?? false
    );
    this.registry.set(name, fn);
    this.handlers.add(handler);
    return fn;
  }
  /**
   * Asynchronously calls `fn` as a successor of the running function. Must run on every
   * invocation (never inside `if`/loops): pass `conditional = false` to skip the call so
   * that fan-in nodes downstream learn about it. Sends complete before the handler returns.
   */
  invokeServerlessFunction(fn, payload, conditional = true) {
    currentInvocation("invokeServerlessFunction").invokeSuccessor(fn, payload, conditional);
  }
  /** In a fan-in (sync) function: the payloads its predecessors sent it directly. */
  getPredecessorData() {
    return currentInvocation("getPredecessorData").getPredecessorData();
  }
  getRunId() {
    return currentInvocation("getRunId").runId;
  }
  getMetadata() {
    return currentInvocation("getMetadata").metadata();
  }
  /** Same as getMetadata (the reference's name). */
  getCaribouMetadata() {
    return this.getMetadata();
  }
  getWorkflowPlacementDecision() {
    return currentInvocation("getWorkflowPlacementDecision").placementDecision();
  }
  /** Writes a `[CARIBOU]` line the log syncer keeps with the run. */
  logForRetrieval(message, runId, messageTimeMs) {
    currentInvocation("logForRetrieval").logForRetrieval(message, runId, messageTimeMs);
  }
};
function validateEnvironmentVariables(variables) {
  if (!Array.isArray(variables)) throw new CaribouError("environment_variables must be a list of {key, value}");
  for (const variable of variables) {
    if (typeof variable !== "object" || variable === null) {
      throw new CaribouError("environment_variables must be a list of {key, value}");
    }
    const { key, value } = variable;
    if (typeof key !== "string") throw new CaribouError("Environment variable key need to be a str");
    if (typeof value !== "string") throw new CaribouError("Environment variable value need to be a str");
    if (key.includes("AWS_REGION")) throw new CaribouError("environment_variables cannot contain AWS_REGION");
  }
}

// examples/small_sync_example/src/app.ts
var workflow = new CaribouWorkflow({ name: "small_sync_example", version: "0.0.1" });
function readFlags(event) {
  const value = typeof event === "string" && event.trim() !== "" ? JSON.parse(event) : event;
  return typeof value === "object" && value !== null ? value : {};
}
var initialFunction = workflow.serverlessFunction(
  { name: "initial_function", entryPoint: true },
  async (event) => {
    const flags = readFlags(event);
    workflow.invokeServerlessFunction(syncFunction, { from: "initial_function", call: 1 }, flags.execute_1 === true);
    workflow.invokeServerlessFunction(syncFunction, { from: "initial_function", call: 2 }, flags.execute_2 === true);
    workflow.invokeServerlessFunction(secondSyncFunction, { from: "initial_function", call: 3 }, flags.execute_3 === true);
    return { status: 200 };
  }
);
var syncFunction = workflow.serverlessFunction({ name: "syncFunction" }, async () => {
  const received = await workflow.getPredecessorData();
  console.log("syncFunction received", JSON.stringify(received));
  workflow.invokeServerlessFunction(secondSyncFunction, { from: "syncFunction", received: received.length });
  return { status: 200, received };
});
var secondSyncFunction = workflow.serverlessFunction({ name: "secondSyncFunction" }, async () => {
  const received = await workflow.getPredecessorData();
  console.log("secondSyncFunction received", JSON.stringify(received));
  return { status: 200, received };
});

// libs/domain/routing/src/time-key.ts
var NO_TIME_KEY = "N/A";
function selectTimeKey(timeKeys, utcHour) {
  let best;
  for (const key of timeKeys) {
    const hour = Number(key);
    if (!Number.isInteger(hour) || hour > utcHour) continue;
    if (best === void 0 || hour > Number(best)) best = key;
  }
  return best ?? NO_TIME_KEY;
}
function isExpired(deployment, nowMs) {
  return deployment.expiry_time === null || deployment.expiry_time === void 0 || nowMs > parseTime(deployment.expiry_time);
}
function timeKeyForRun(wpd, nowMs) {
  if (wpd.time_key !== void 0) return wpd.time_key;
  const current = wpd.workflow_placement.current_deployment;
  if (!current || isExpired(current, nowMs)) return NO_TIME_KEY;
  return selectTimeKey(current.time_keys, new Date(Math.floor(nowMs)).getUTCHours());
}

// libs/domain/routing/src/placement.ts
function resolvePlacement(wpd, instance) {
  const home = wpd.workflow_placement.home_deployment[instance];
  const current = wpd.workflow_placement.current_deployment;
  const timeKey = wpd.time_key ?? NO_TIME_KEY;
  if (!wpd.send_to_home_region && current && timeKey !== NO_TIME_KEY) {
    const planned = current.instances[timeKey]?.[instance];
    if (planned) return planned;
  }
  if (!home) throw new CaribouError(`placement decision has no home deployment for instance ${instance}`);
  return home;
}

// libs/domain/routing/src/instances.ts
function instancePrefix(workflowName, workflowVersion, functionName) {
  return `${workflowName}-${workflowVersion.replace(/\./g, "_")}-${functionName}`;
}
function isSyncInstance(instanceName) {
  return instanceName.split(":")[1] === "sync";
}
function callPosition(instanceName) {
  const middle = instanceName.split(":")[1];
  return middle?.split("_").pop();
}
function successorInstance(wpd, currentInstance, successorPrefix, callIndex) {
  const current = wpd.instances[currentInstance];
  if (!current) throw new CaribouError(`Could not find current instance name ${currentInstance} in the placement decision`);
  const candidates = current.succeeding_instances.filter((name) => name.split(":")[0] === successorPrefix);
  const match = candidates.find((name) => isSyncInstance(name)) ?? candidates.find((name) => callPosition(name) === String(callIndex)) ?? (candidates.length === 1 ? candidates[0] : void 0);
  if (!match) {
    throw new CaribouError(
      `Could not find successor instance for successor function name ${successorPrefix} (call ${callIndex} of ${currentInstance}); every invokeServerlessFunction call must run on every invocation (use conditional=false to skip)`
    );
  }
  return match;
}
function expectedEdgeCount(wpd, syncInstance) {
  const description = wpd.instances[syncInstance];
  if (!description) throw new CaribouError(`Could not find sync instance ${syncInstance} in the placement decision`);
  return description.preceding_instances.length;
}
function edgeCountFrom(wpd, predecessor, syncInstance) {
  return (wpd.instances[syncInstance]?.preceding_instances ?? []).filter((name) => name === predecessor).length;
}
function edgeKey(predecessor, slot) {
  return `${predecessor}#${slot}`;
}

// libs/domain/routing/src/payload-codec.ts
var PREFIX = "b64:";
function bytesToBase64(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
  return btoa(binary);
}
function base64ToBytes(text) {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return void 0;
  try {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return void 0;
  }
}
function encodePayload(value) {
  return JSON.stringify(value, (_key, v) => {
    if (v instanceof Uint8Array) return PREFIX + bytesToBase64(v);
    if (v && typeof v === "object" && v.type === "Buffer" && Array.isArray(v.data)) {
      return PREFIX + bytesToBase64(Uint8Array.from(v.data));
    }
    return v;
  });
}
function decodeBinaryStrings(value) {
  if (typeof value === "string") {
    if (!value.startsWith(PREFIX)) return value;
    return base64ToBytes(value.slice(PREFIX.length)) ?? value;
  }
  if (Array.isArray(value)) return value.map(decodeBinaryStrings);
  if (value && typeof value === "object") {
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = decodeBinaryStrings(v);
    return out;
  }
  return value;
}
function isTruthyPayload(value) {
  if (value === void 0 || value === null || value === false || value === 0 || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof Uint8Array) return value.length > 0;
  if (typeof value === "object") return Object.keys(value).length > 0;
  return true;
}

// libs/domain/routing/src/envelope.ts
function successorEnvelope(input) {
  const envelope = {
    workflow_placement_decision: { ...input.wpd, current_instance_name: input.successorInstance },
    transmission_taint: input.taint,
    number_of_hops_from_client_request: input.hops
  };
  if (input.includePayload) envelope.payload = input.payload;
  return envelope;
}

// libs/domain/telemetry/src/log-messages.ts
var float = (value) => pyRepr(value);
var int = (value) => String(Math.trunc(value));
var bool = (value) => pyBool(value);
var sanitizeLogValue = (text) => text.replace(/\(/g, "<").replace(/\)/g, ">");
var orNA = (value, format = float) => value === void 0 || value === null ? "N/A" : format(value);
var LogMessages = {
  entryPoint(f) {
    let message = `ENTRY_POINT: Entry Point INSTANCE (${f.instance}) of workflow ${f.workflowId} called with USER_PAYLOAD_SIZE (${float(f.userPayloadSizeGb)}) GB and is REDIRECTED (${bool(f.redirected)}) with INIT_LATENCY_FROM_CLIENT (${orNA(f.initLatencyFromClientS)}) s INIT_LATENCY_FIRST_RECIEVED (${float(f.initLatencyFirstReceivedS)}) s TIME_FROM_FUNCTION_START (${float(f.timeFromFunctionStartS)}) s from REQUEST_SOURCE (${sanitizeLogValue(f.requestSource)}) with WORKFLOW_PLACEMENT_DECISION_SIZE (${float(f.wpdSizeGb)}) GB and CONSUMED_READ_CAPACITY (${float(f.consumedReadCapacity)})`;
    if (f.overriddenWpdSizeGb !== void 0) {
      message += ` OVERRIDEN_WORKFLOW_PLACEMENT_SIZE (${float(f.overriddenWpdSizeGb)}) GB`;
    }
    return message;
  },
  invoked(f) {
    return `INVOKED: INSTANCE (${f.instance}) called with TAINT (${f.taint ?? "N/A"}) with NUMBER_OF_HOPS_FROM_CLIENT_REQUEST (${int(f.hops)})`;
  },
  retrieveWpd(f) {
    return `RETRIVE_WPD: SEND_TO_HOME_DECISION (${bool(f.sendToHome)}) TIME_KEY (${f.timeKey}) RETRIEVED_PLACEMENT_DECISION_FROM_PLATFORM (True) WORKFLOW_PLACEMENT_DECISION_SIZE (${float(f.wpdSizeGb)}) GB and CONSUMED_READ_CAPACITY (${float(f.consumedReadCapacity)}) with TIME_FROM_FUNCTION_START (${float(f.timeFromFunctionStartS)}) s`;
  },
  redirect(f) {
    return `REDIRECT: REDIRECTING_INSTANCE (${f.instance}) FROM_REGION (${f.fromRegion}) FROM_PROVIDER (${f.fromProvider}) TO_REGION (${f.toRegion}) TO_PROVIDER (${f.toProvider}) of WORKFLOW ${f.workflowId} called with INPUT_PAYLOAD_SIZE (${float(f.inputPayloadSizeGb)}) GB OUTPUT_PAYLOAD_SIZE (${float(f.outputPayloadSizeGb)}) GB Invoking IDENTIFIER (${f.identifier}) with TAINT (${f.taint}) NUMBER_OF_HOPS_FROM_CLIENT_REQUEST (${int(f.hops)}) INVOCATION_TIME_FROM_FUNCTION_START (${float(f.invocationTimeFromFunctionStartS)}) s and FINISH_TIME_FROM_INVOCATION_START (${float(f.finishTimeFromInvocationStartS)}) s INIT_LATENCY_FROM_CLIENT (${orNA(f.initLatencyFromClientS)}) s`;
  },
  executed(f) {
    return `EXECUTED: INSTANCE (${f.instance}) with USER_EXECUTION_TIME (${float(f.userExecutionTimeS)}) s and TOTAL_EXECUTION_TIME (${float(f.totalExecutionTimeS)}) s`;
  },
  invokingSuccessor(f) {
    let message = `INVOKING_SUCCESSOR: INSTANCE (${f.instance}) potentially calling SUCCESSOR (${f.successor}) with PAYLOAD_SIZE (${float(f.payloadSizeGb)}) GB and TAINT (${f.taint}) to PROVIDER (${f.provider}) and REGION (${f.region}) SUCCESSOR_INVOKED (${bool(f.successorInvoked)}) at INVOCATION_TIME_FROM_FUNCTION_START (${float(f.invocationTimeFromFunctionStartS)}) s and FINISH_TIME_FROM_INVOCATION_START (${float(f.finishTimeFromInvocationStartS)}) s UPLOADED_DATA_TO_SYNC_TABLE (${bool(f.upload !== void 0)})`;
    if (f.upload) {
      message += ` UPLOAD_DATA_SIZE (${float(f.upload.uploadSizeGb)}) GB consuming CONSUMED_WRITE_CAPACITY (${float(f.upload.consumedWriteCapacity)}) loaded SYNC_DATA_RESPONSE_SIZE (${float(f.upload.syncDataResponseSizeGb)}) GB with UPLOAD_RTT (${float(f.upload.uploadRttS)}) s`;
    }
    return message;
  },
  invokingSyncNode(f) {
    return `INVOKING_SYNC_NODE: INSTANCE (${f.instance}) to SUCCESSOR (${f.successor}) for PREDECESSOR_INSTANCE (${f.predecessor}) calling SYNC_NODE (${f.syncNode}) where SUCCESSOR_INVOKED (${bool(f.successorInvoked)}) with PAYLOAD_SIZE (${float(f.payloadSizeGb)}) GB and SYNC_DATA_RESPONSE_SIZE (${float(f.syncDataResponseSizeGb)}) GB and CONSUMED_WRITE_CAPACITY (${float(f.consumedWriteCapacity)}) with TAINT (${f.taint ?? "None"}) to PROVIDER (${f.provider}) and REGION (${f.region}) with INVOCATION_TIME_FROM_FUNCTION_START (${float(f.invocationTimeFromFunctionStartS)}) s and FINISH_TIME_FROM_INVOCATION_START (${float(f.finishTimeFromInvocationStartS)}) s and CALL_START_TO_FINISH (${float(f.callStartToFinishS)}) s`;
  },
  conditionalNonExecution(f) {
    return `CONDITIONAL_NON_EXECUTION: INSTANCE (${f.instance}) calling SUCCESSOR (${f.successor}) consuming CONSUMED_WRITE_CAPACITY (${float(f.consumedWriteCapacity)}) with SYNC_DATA_RESPONSE_SIZE (${float(f.syncDataResponseSizeGb)}) GB to PROVIDER (${f.provider}) and REGION (${f.region}) with INVOCATION_TIME_FROM_FUNCTION_START (${float(f.invocationTimeFromFunctionStartS)}) s and FINISH_TIME_FROM_INVOCATION_START (${float(f.finishTimeFromInvocationStartS)}) s`;
  },
  downloadDataFromSyncTable(f) {
    return `DOWNLOAD_DATA_FROM_SYNC_TABLE: INSTANCE (${f.instance}) loaded SYNC_NODE_PREDECESSOR_DATA with DOWNLOAD_SIZE (${float(f.downloadSizeGb)}) GB and CONSUMED_READ_CAPACITY (${float(f.consumedReadCapacity)}) and taken DOWNLOAD_TIME (${float(f.downloadTimeS)}) s`;
  },
  usedCpuModel(f) {
    return `USED_CPU_MODEL: CPU_MODEL (${sanitizeLogValue(f.cpuModel)}) used in INSTANCE (${f.instance}) and from FROM_REDIRECTOR (${bool(f.fromRedirector)})`;
  },
  clientCodeException(f) {
    const oneLine = sanitizeLogValue(f.error).replace(/\s*\n\s*/g, " ");
    return `CLIENT_CODE_EXCEPTION: Client Code Exception! INSTANCE (${f.instance}) raised EXCEPTION (${oneLine})`;
  },
  debugPayloadTooLarge(f) {
    return `DEBUG_MESSAGE: PAYLOAD_SIZE (${float(f.payloadSizeGb)}) GB PAYLOAD_SIZE_BYTE (${int(f.payloadSizeBytes)}) BytesExceeds the limit of ${int(f.limitBytes)} bytes`;
  },
  exceedHopError(f) {
    return `EXCEED_HOP_ERROR: NUMBER_OF_HOPS_FROM_CLIENT_REQUEST (${int(f.hops)}) EXCEEDS_MAXIMUM_HOPS_FROM_CLIENT_REQUEST (${int(f.maximum)})`;
  }
};
function formatRetrievalText(timeMs, runId, message) {
  return `TIME (${formatTime(timeMs)}) RUN_ID (${runId}) MESSAGE (${message}) LOG_VERSION (${LOG_VERSION})`;
}
function formatCaribouLine(timeMs, requestId, runId, message) {
  return `[CARIBOU]	${formatIsoMillis(timeMs)}	${requestId}	${formatRetrievalText(timeMs, runId, message)}`;
}

// libs/domain/telemetry/src/time-micros.ts
var MICROS_PER_SECOND = 1e6;
var MICROS_PER_MINUTE = 60 * MICROS_PER_SECOND;
var MICROS_PER_DAY = 86400 * MICROS_PER_SECOND;

// libs/domain/telemetry/src/collector/bucketing.ts
var KIB_PER_GB = 1024 ** 2;

// libs/sdk/src/runtime/handler.ts
var seconds = (ms) => ms / 1e3;
var CaribouRuntimeError = class extends CaribouError {
};
function unwrap(event, entryPoint) {
  if (typeof event === "string") {
    return unwrap(JSON.parse(event), entryPoint);
  }
  if (!event || typeof event !== "object" || Array.isArray(event)) {
    throw new CaribouRuntimeError("Input event must be a JSON object");
  }
  const records = event.Records;
  if (Array.isArray(records) && records.length === 1 && typeof records[0]?.Sns?.Message === "string") {
    const message = records[0].Sns.Message;
    return { envelope: decodeBinaryStrings(JSON.parse(message)), inputSizeGb: entryPoint ? stringSizeGb(message) : -1 };
  }
  return {
    envelope: decodeBinaryStrings(event),
    inputSizeGb: entryPoint ? stringSizeGb(JSON.stringify(event)) : -1
  };
}
async function handleInvocation(workflow3, functionName, event, services) {
  const fn = workflow3.getFunction(functionName);
  if (!fn) throw new CaribouRuntimeError(`Function ${functionName} is not registered in workflow ${workflow3.name}`);
  return new Invocation(workflow3, fn, services).run(event);
}
var Invocation = class {
  constructor(workflow3, fn, services) {
    this.workflow = workflow3;
    this.fn = fn;
    this.services = services;
    this.functionStart = services.clock.now();
    this.workflowId = `${workflow3.name}-${workflow3.version}`;
  }
  workflow;
  fn;
  services;
  functionStart;
  workflowId;
  wpd;
  runId = "UNKNOWN";
  hops = 0;
  callIndex = 0;
  /** Calls made so far to each sync node: the ordinal identifies the edge a call accounts for. */
  callsToSync = /* @__PURE__ */ new Map();
  /** Successor sends run one after another in call order, asynchronously to user code. */
  sendChain = Promise.resolve();
  sendFailure;
  get currentInstance() {
    return this.wpd.current_instance_name;
  }
  log(message, at = this.services.clock.now(), runId = this.runId) {
    this.services.log(formatCaribouLine(at, this.services.requestId, runId, message));
  }
  sinceStart(at = this.services.clock.now()) {
    return seconds(at - this.functionStart);
  }
  async run(event) {
    const entryPoint = this.fn.entryPoint;
    const { envelope, inputSizeGb } = unwrap(event, entryPoint);
    if (typeof envelope.run_id === "string") this.runId = envelope.run_id;
    const previousHops = Math.max(Number.parseInt(String(envelope.number_of_hops_from_client_request ?? 0), 10) || 0, 0);
    this.hops = previousHops + 1;
    if (this.hops > MAXIMUM_HOPS_FROM_CLIENT_REQUEST) {
      const runId = envelope.workflow_placement_decision?.run_id;
      if (typeof runId === "string") this.runId = runId;
      this.log(LogMessages.exceedHopError({ hops: this.hops, maximum: MAXIMUM_HOPS_FROM_CLIENT_REQUEST }));
      throw new CaribouRuntimeError(
        `Number of hops from the client request (${this.hops}) exceeds the maximum of ${MAXIMUM_HOPS_FROM_CLIENT_REQUEST}`
      );
    }
    if (envelope.workflow_placement_decision) {
      this.wpd = envelope.workflow_placement_decision;
    } else if (entryPoint) {
      await this.retrievePlacementDecision(envelope);
    } else {
      throw new CaribouRuntimeError(`Function ${this.fn.name} received no placement decision and is not the entry point`);
    }
    this.runId = this.wpd.run_id ?? this.runId;
    if (entryPoint) {
      const redirected = await this.redirectIfElsewhere(envelope, inputSizeGb);
      if (redirected) return redirected;
      this.logEntryPoint(envelope, inputSizeGb);
    }
    this.log(
      LogMessages.invoked({ instance: this.currentInstance, taint: envelope.transmission_taint ?? null, hops: this.hops }),
      this.functionStart
    );
    const userStart = this.services.clock.now();
    let result;
    try {
      result = await runInInvocation(this.scope(), () => this.fn.handler(envelope.payload ?? {}));
      await this.sendChain;
      if (this.sendFailure !== void 0) throw this.sendFailure;
    } catch (error) {
      await this.sendChain.catch(() => void 0);
      this.log(LogMessages.clientCodeException({ instance: this.currentInstance, error: describeError(error) }));
      throw error;
    }
    const end = this.services.clock.now();
    this.log(
      LogMessages.executed({
        instance: this.currentInstance,
        userExecutionTimeS: seconds(end - userStart),
        totalExecutionTimeS: seconds(end - this.functionStart)
      })
    );
    this.log(LogMessages.usedCpuModel({ cpuModel: this.services.cpuModel, instance: this.currentInstance, fromRedirector: false }));
    return result;
  }
  async retrievePlacementDecision(envelope) {
    const { value, consumedReadCapacity } = await this.services.store.getWithCapacity(
      Tables.workflowPlacementDecision,
      this.workflowId
    );
    if (!value) {
      throw new CaribouRuntimeError(
        `No workflow placement decision found for workflow, did you deploy the workflow and is the workflow id (${this.workflowId}) correct?`
      );
    }
    let wpd = JSON.parse(value);
    const now = this.services.clock.now();
    wpd.data_size = stringSizeGb(value);
    wpd.consumed_read_capacity = consumedReadCapacity;
    wpd.run_id = this.services.random.uuid();
    wpd.send_to_home_region = this.services.random.random() < HOME_REGION_THRESHOLD;
    const override = envelope.debug_workflow_placement_override?.workflow_placement_decision;
    if (this.fn.allowPlacementDecisionOverride && override) {
      const run = { run_id: wpd.run_id, send_to_home_region: wpd.send_to_home_region, data_size: wpd.data_size };
      wpd = { ...override, ...run, consumed_read_capacity: consumedReadCapacity };
      wpd.overriden_workflow_placement_size = stringSizeGb(JSON.stringify(envelope.debug_workflow_placement_override));
    }
    wpd.time_key = timeKeyForRun(wpd, now);
    this.wpd = wpd;
    this.runId = wpd.run_id;
    this.log(
      LogMessages.retrieveWpd({
        sendToHome: wpd.send_to_home_region ?? false,
        timeKey: wpd.time_key,
        wpdSizeGb: wpd.data_size ?? 0,
        consumedReadCapacity,
        timeFromFunctionStartS: this.sinceStart(now)
      })
    );
  }
  /** Forwards the run to the entry point's planned region when the caller allowed it (§3.3 step 5). */
  async redirectIfElsewhere(envelope, inputSizeGb) {
    const target = resolvePlacement(this.wpd, this.currentInstance);
    const here = this.services.region;
    const elsewhere = target.provider_region.provider !== here.provider || target.provider_region.region !== here.region;
    if (!elsewhere || !envelope.permit_redirection || envelope.redirected) return void 0;
    this.wpd.user_payload_size = inputSizeGb;
    const taint = this.services.random.uuid();
    const message = encodePayload({ ...envelope, workflow_placement_decision: this.wpd, redirected: true, transmission_taint: taint });
    const invocationStart = this.services.clock.now();
    await this.services.invoker.invokeAsync(target.provider_region, target.identifier, message);
    const finish = this.services.clock.now();
    this.log(
      LogMessages.redirect({
        instance: this.currentInstance,
        fromRegion: here.region,
        fromProvider: here.provider,
        toRegion: target.provider_region.region,
        toProvider: target.provider_region.provider,
        workflowId: this.workflowId,
        inputPayloadSizeGb: inputSizeGb,
        outputPayloadSizeGb: stringSizeGb(message),
        identifier: target.identifier,
        taint,
        hops: this.hops,
        invocationTimeFromFunctionStartS: this.sinceStart(invocationStart),
        finishTimeFromInvocationStartS: seconds(finish - invocationStart),
        initLatencyFromClientS: this.initLatencyFromClient(envelope)
      }),
      this.functionStart
    );
    this.log(LogMessages.usedCpuModel({ cpuModel: this.services.cpuModel, instance: this.currentInstance, fromRedirector: true }));
    return { statusCode: 200, message: `Redirecting to Provider: ${target.provider_region.provider}, Region: ${target.provider_region.region}` };
  }
  initLatencyFromClient(envelope) {
    if (!envelope.time_request_sent) return null;
    try {
      return seconds(this.functionStart - parseTime(envelope.time_request_sent));
    } catch {
      return null;
    }
  }
  logEntryPoint(envelope, inputSizeGb) {
    const fields = {
      instance: this.currentInstance,
      workflowId: this.workflowId,
      userPayloadSizeGb: inputSizeGb,
      redirected: envelope.redirected === true,
      initLatencyFromClientS: this.initLatencyFromClient(envelope),
      initLatencyFirstReceivedS: 0,
      timeFromFunctionStartS: this.sinceStart(),
      requestSource: envelope.request_source ?? "Unknown",
      wpdSizeGb: this.wpd.data_size ?? 0,
      consumedReadCapacity: this.wpd.consumed_read_capacity ?? 0
    };
    const overridden = this.wpd.overriden_workflow_placement_size;
    this.log(
      LogMessages.entryPoint(overridden === void 0 ? fields : { ...fields, overriddenWpdSizeGb: overridden }),
      this.functionStart
    );
  }
  scope() {
    return {
      runId: this.runId,
      invokeSuccessor: (fn, payload, conditional) => this.invokeSuccessor(fn, payload, conditional),
      getPredecessorData: () => this.getPredecessorData(),
      metadata: () => this.metadata(),
      placementDecision: () => this.wpd,
      logForRetrieval: (message, runId, at) => this.log(message, at ?? this.services.clock.now(), runId ?? this.runId)
    };
  }
  metadata() {
    return {
      workflow_name: this.workflowId,
      run_id: this.runId,
      current_instance_name: this.currentInstance,
      current_provider: this.services.region.provider,
      current_region: this.services.region.region,
      cpu_model: this.services.cpuModel,
      function_start_time: formatTime(this.functionStart)
    };
  }
  invokeSuccessor(fn, payload, conditional) {
    const callIndex = this.callIndex++;
    const prefix = instancePrefix(this.workflow.name, this.workflow.version, fn.name);
    const successor = successorInstance(this.wpd, this.currentInstance, prefix, callIndex);
    const taint = this.services.random.uuid();
    const includePayload = isTruthyPayload(payload);
    const message = encodePayload(
      successorEnvelope({ wpd: this.wpd, successorInstance: successor, taint, hops: this.hops, payload, includePayload })
    );
    const bytes = utf8Length(message);
    if (bytes > MAX_TRANSFER_SIZE) {
      this.log(LogMessages.debugPayloadTooLarge({ payloadSizeGb: bytes / 1024 ** 3, payloadSizeBytes: bytes, limitBytes: MAX_TRANSFER_SIZE }));
      throw new CaribouRuntimeError(
        `Message to ${fn.name} is ${bytes} bytes, over the limit of ${MAX_TRANSFER_SIZE} bytes; pass large data by reference (e.g. an object store key)`
      );
    }
    const invocationStart = this.services.clock.now();
    const slot = isSyncInstance(successor) ? this.nextSlot(successor) : 0;
    const send = conditional ? () => this.sendToSuccessor({ successor, taint, message, payload, invocationStart, slot }) : () => this.skipSuccessor(successor, invocationStart, slot);
    this.sendChain = this.sendChain.then(async () => {
      if (this.sendFailure !== void 0) return;
      try {
        await send();
      } catch (error) {
        this.sendFailure = error;
      }
    });
  }
  nextSlot(syncInstance) {
    const slot = this.callsToSync.get(syncInstance) ?? 0;
    this.callsToSync.set(syncInstance, slot + 1);
    return slot;
  }
  async sendToSuccessor(input) {
    const { successor, taint, invocationStart } = input;
    const target = resolvePlacement(this.wpd, successor);
    let sentMessage = input.message;
    let invoked = true;
    let upload;
    if (isSyncInstance(successor)) {
      const syncStore = this.services.syncStore(target.provider_region);
      const data = encodePayload(input.payload ?? null);
      const uploadStart = this.services.clock.now();
      const { consumedWriteCapacity: uploadCapacity } = await syncStore.uploadPredecessorData(successor, this.runId, taint, data);
      const mark = await syncStore.markPredecessorReached({
        predecessor: edgeKey(this.currentInstance, input.slot),
        syncInstance: successor,
        runId: this.runId,
        directCall: true
      });
      const uploadRtt = seconds(this.services.clock.now() - uploadStart);
      sentMessage = encodePayload(
        successorEnvelope({ wpd: this.wpd, successorInstance: successor, taint, hops: this.hops, includePayload: false })
      );
      upload = {
        uploadSizeGb: stringSizeGb(data),
        consumedWriteCapacity: uploadCapacity + mark.consumedWriteCapacity,
        syncDataResponseSizeGb: mark.responseSizeGb,
        uploadRttS: uploadRtt
      };
      invoked = await this.triggerIfComplete(successor, mark.reached, target);
      if (invoked) await this.services.invoker.invokeAsync(target.provider_region, target.identifier, sentMessage);
    } else {
      await this.services.invoker.invokeAsync(target.provider_region, target.identifier, sentMessage);
    }
    const finish = this.services.clock.now();
    const fields = {
      instance: this.currentInstance,
      successor,
      payloadSizeGb: stringSizeGb(sentMessage),
      taint,
      provider: target.provider_region.provider,
      region: target.provider_region.region,
      successorInvoked: invoked,
      invocationTimeFromFunctionStartS: this.sinceStart(invocationStart),
      finishTimeFromInvocationStartS: seconds(finish - invocationStart)
    };
    this.log(LogMessages.invokingSuccessor(upload ? { ...fields, upload } : fields), invocationStart);
  }
  /**
   * Exactly-once fan-in (fixes §12.2 #19): when every incoming edge is accounted for,
   * the one caller that wins the atomic claim decides for everybody — it invokes the
   * sync node when at least one edge was a direct call, and otherwise records that it
   * never runs and tells the sync nodes downstream of it.
   */
  async triggerIfComplete(syncInstance, reached, target) {
    if (reached.length !== expectedEdgeCount(this.wpd, syncInstance)) return false;
    const claimed = await this.services.syncStore(target.provider_region).claimInvocation(syncInstance, this.runId);
    if (!claimed) return false;
    if (reached.some(Boolean)) return true;
    await this.propagateNonExecution(syncInstance, this.services.clock.now());
    return false;
  }
  /** A `conditional=false` call: nothing runs, but every sync node waiting on the skipped subtree is told. */
  async skipSuccessor(successor, invocationStart, slot) {
    let consumedWriteCapacity = 0;
    let syncDataResponseSizeGb = 0;
    const account = (result) => {
      consumedWriteCapacity += result.consumedWriteCapacity;
      syncDataResponseSizeGb += result.responseSizeGb;
    };
    if (isSyncInstance(successor)) {
      account(await this.informSyncNode(successor, this.currentInstance, [slot], successor, invocationStart));
    } else {
      for (const [predecessor, syncNode] of this.wpd.instances[successor]?.dependent_sync_predecessors ?? []) {
        account(await this.informSyncNode(syncNode, predecessor, this.allSlots(predecessor, syncNode), successor, invocationStart));
      }
    }
    const target = resolvePlacement(this.wpd, successor);
    this.log(
      LogMessages.conditionalNonExecution({
        instance: this.currentInstance,
        successor,
        consumedWriteCapacity,
        syncDataResponseSizeGb,
        provider: target.provider_region.provider,
        region: target.provider_region.region,
        invocationTimeFromFunctionStartS: this.sinceStart(invocationStart),
        finishTimeFromInvocationStartS: seconds(this.services.clock.now() - invocationStart)
      }),
      invocationStart
    );
  }
  /** The sync node that never runs passes the news on to the sync nodes it would have called. */
  async propagateNonExecution(syncInstance, invocationStart) {
    for (const [predecessor, syncNode] of this.wpd.instances[syncInstance]?.dependent_sync_predecessors ?? []) {
      await this.informSyncNode(syncNode, predecessor, this.allSlots(predecessor, syncNode), syncInstance, invocationStart);
    }
  }
  allSlots(predecessor, syncNode) {
    return Array.from({ length: edgeCountFrom(this.wpd, predecessor, syncNode) }, (_, i) => i);
  }
  async informSyncNode(syncNode, predecessor, slots, skippedSuccessor, invocationStart) {
    const callStart = this.services.clock.now();
    const target = resolvePlacement(this.wpd, syncNode);
    const store = this.services.syncStore(target.provider_region);
    const mark = { reached: [], responseSizeGb: 0, consumedWriteCapacity: 0 };
    for (const slot of slots) {
      const result = await store.markPredecessorReached({
        predecessor: edgeKey(predecessor, slot),
        syncInstance: syncNode,
        runId: this.runId,
        directCall: false
      });
      mark.reached = result.reached;
      mark.responseSizeGb = result.responseSizeGb;
      mark.consumedWriteCapacity += result.consumedWriteCapacity;
    }
    let taint = null;
    let payloadSizeGb = 0;
    if (await this.triggerIfComplete(syncNode, mark.reached, target)) {
      taint = this.services.random.uuid();
      const message = encodePayload(
        successorEnvelope({ wpd: this.wpd, successorInstance: syncNode, taint, hops: this.hops, includePayload: false })
      );
      payloadSizeGb = stringSizeGb(message);
      await this.services.invoker.invokeAsync(target.provider_region, target.identifier, message);
    }
    const finish = this.services.clock.now();
    this.log(
      LogMessages.invokingSyncNode({
        instance: this.currentInstance,
        successor: skippedSuccessor,
        predecessor,
        syncNode,
        successorInvoked: taint !== null,
        payloadSizeGb,
        syncDataResponseSizeGb: mark.responseSizeGb,
        consumedWriteCapacity: mark.consumedWriteCapacity,
        taint,
        provider: target.provider_region.provider,
        region: target.provider_region.region,
        invocationTimeFromFunctionStartS: this.sinceStart(callStart),
        finishTimeFromInvocationStartS: seconds(finish - callStart),
        callStartToFinishS: seconds(finish - invocationStart)
      }),
      callStart
    );
    return { consumedWriteCapacity: mark.consumedWriteCapacity, responseSizeGb: mark.responseSizeGb };
  }
  async getPredecessorData() {
    if (!isSyncInstance(this.currentInstance)) {
      throw new CaribouRuntimeError(
        `getPredecessorData() is only available in a fan-in (sync) function; ${this.currentInstance} is not one`
      );
    }
    const start = this.services.clock.now();
    const { payloads, consumedReadCapacity } = await this.services.syncStore(this.services.region).getPredecessorData(this.currentInstance, this.runId);
    const downloadSizeGb = payloads.reduce((sum, text) => sum + stringSizeGb(text), 0);
    this.log(
      LogMessages.downloadDataFromSyncTable({
        instance: this.currentInstance,
        downloadSizeGb,
        consumedReadCapacity,
        downloadTimeS: seconds(this.services.clock.now() - start)
      })
    );
    return payloads.map((text) => decodeBinaryStrings(JSON.parse(text)));
  }
};
function describeError(error) {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

// examples/small_sync_example/caribou-entry.mjs
var workflow2 = workflow ?? void 0;
export {
  handleInvocation,
  workflow2 as workflow
};
