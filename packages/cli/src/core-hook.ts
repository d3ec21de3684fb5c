// A module resolve hook (node:module register) for plugin code: `@nettrace/core` always resolves
// to the CLI's own copy. A plugin installed on its own (globally, in a project, or given with
// --plugin <dir>) then never loads a second core: one native addon, one set of classes
// (`instanceof` holds), and no ERR_MODULE_NOT_FOUND for a plugin directory without node_modules.
interface Data {
  /** Specifier → URL of the CLI's copy ('@nettrace/core', '@nettrace/core/package.json'). */
  urls: Record<string, string>;
}
type Next = (specifier: string, context: unknown) => Promise<{ url: string }>;

let urls: Record<string, string> = {};

export async function initialize(data: Data): Promise<void> {
  urls = data.urls;
}

export async function resolve(specifier: string, context: unknown, next: Next): Promise<{ url: string; shortCircuit?: boolean }> {
  const url = urls[specifier];
  return url ? { url, shortCircuit: true } : next(specifier, context);
}
