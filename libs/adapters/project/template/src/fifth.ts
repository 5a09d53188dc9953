import type { CaribouWorkflow } from '@caribou/sdk';

/**
 * Fifth_Function's work, kept in its own module. It calls `getPredecessorData`, which makes
 * Fifth_Function a fan-in (sync) node: it runs once Second_Function and Fourth_Function
 * have both sent their payloads, and receives them all.
 */
export async function fifth(workflow: CaribouWorkflow): Promise<string[]> {
  console.log('Hello from fifth function');
  const responses = (await workflow.getPredecessorData()) as Array<{ hello?: string }>;
  const greetings = responses.map((response) => response.hello ?? JSON.stringify(response));
  for (const greeting of greetings) console.log(greeting);
  return greetings;
}
