// The process's shared state, in one place. Next.js bundles instrumentation,
// the proxy and each route separately, so a module-level variable exists once
// per bundle; whatever must exist once per process (the database handle, the
// worker, storage, limiters, caches) is kept here instead, on globalThis.
const REGISTRY = Symbol.for("suno-dashboard.registry");

type Holder = { [REGISTRY]?: Map<string, unknown> };

/** The process-wide value named `name`, made by `create` on first use. */
export function processSingleton<T>(name: string, create: () => T): T {
  const registry = ((globalThis as Holder)[REGISTRY] ??= new Map());
  if (!registry.has(name)) registry.set(name, create());
  return registry.get(name) as T;
}
