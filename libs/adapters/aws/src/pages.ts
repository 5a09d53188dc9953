/** The names an SDK v3 paginator's pages hold, in page order, without the gaps. */
export async function collectPages<Page>(pages: AsyncIterable<Page>, pick: (page: Page) => Array<string | undefined> | undefined): Promise<string[]> {
  const names: string[] = [];
  for await (const page of pages) for (const name of pick(page) ?? []) if (name) names.push(name);
  return names;
}
