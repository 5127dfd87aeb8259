// Module resolve hooks (module.register) that refuse the packages they are initialised with: any
// import of one, static or dynamic, from any module, fails with "refused import of <specifier>".
let refused = [];

export function initialize(packages) {
  refused = packages;
}

export async function resolve(specifier, context, nextResolve) {
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  if (refused.includes(name)) throw new Error(`refused import of ${specifier} (from ${context.parentURL})`);
  return nextResolve(specifier, context);
}
