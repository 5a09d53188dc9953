import { CaribouWorkflow } from '@caribou/sdk';
import { fifth } from './fifth';

/**
 * The workflow {{ workflow_name }}: seven functions that greet each other.
 *
 *   First ──▶ Second ─────────────▶ Fifth (fan-in) ──▶ Seventh (fan-in)
 *     │ ───▶ Third ──▶ Fourth ──▶ ─┘                      ▲
 *     └────▶ Sixth ───────────────────────────────────────┘
 *
 * Every `invokeServerlessFunction` call must run on every invocation (no `if` or loop
 * around it): pass `false` as the third argument to skip a call, so fan-in functions
 * downstream stop waiting for it. Caribou reads these calls from the source to build the
 * workflow's graph, so the first argument must be a function registered below.
 */
export const workflow = new CaribouWorkflow({ name: '{{ workflow_name }}', version: '0.0.1' });

export const firstFunction = workflow.serverlessFunction(
  {
    name: 'First_Function',
    entryPoint: true,
    environmentVariables: [{ key: 'example_key', value: 'example_value' }],
  },
  async (event: unknown) => {
    // `caribou run <id> -a '{"key": "value"}'` passes the argument as a JSON string.
    const input: unknown = typeof event === 'string' && event !== '' ? JSON.parse(event) : event;
    console.log('Hello from first function', input);
    workflow.invokeServerlessFunction(secondFunction, 'First Function says hello to second function');
    workflow.invokeServerlessFunction(thirdFunction, 'First Function says hello to third function');
    workflow.invokeServerlessFunction(sixthFunction, 'First Function says hello to sixth function');
    console.log('Goodbye from first function');
    return { status: 200 };
  },
);

export const secondFunction = workflow.serverlessFunction({ name: 'Second_Function' }, async (event: unknown) => {
  console.log('Hello from second function', event);
  workflow.invokeServerlessFunction(fifthFunction, { hello: 'Second Function says hello to fifth function' });
  return { status: 200 };
});

export const thirdFunction = workflow.serverlessFunction({ name: 'Third_Function' }, async (event: unknown) => {
  console.log('Hello from third function', event);
  workflow.invokeServerlessFunction(fourthFunction, { hello: 'Third Function says hello to fourth function' });
  return { status: 200 };
});

export const fourthFunction = workflow.serverlessFunction({ name: 'Fourth_Function' }, async (event: { hello: string }) => {
  console.log('Hello from fourth function', event.hello);
  workflow.invokeServerlessFunction(fifthFunction, { hello: 'Fourth Function says hello to fifth function' });
  return { status: 200 };
});

export const fifthFunction = workflow.serverlessFunction({ name: 'Fifth_Function' }, async () => {
  const greetings = await fifth(workflow);
  workflow.invokeServerlessFunction(seventhFunction, {
    hello: 'Fifth Function says hello to seventh function',
    received: greetings.length,
  });
  return { status: 200 };
});

export const sixthFunction = workflow.serverlessFunction({ name: 'Sixth_Function' }, async (event: unknown) => {
  console.log('Hello from sixth function', event);
  workflow.invokeServerlessFunction(seventhFunction, { hello: 'Sixth Function says hello to seventh function' });
  return { status: 200 };
});

export const seventhFunction = workflow.serverlessFunction({ name: 'Seventh_Function' }, async () => {
  console.log('Hello from seventh function');
  const responses = (await workflow.getPredecessorData()) as Array<{ hello?: string }>;
  for (const response of responses) console.log(response.hello);
  console.log('Goodbye from seventh function');
  return { status: 200 };
});
