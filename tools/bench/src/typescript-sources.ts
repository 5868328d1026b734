/**
 * Lets Node run TypeScript test sources that import each other as `./x.js` (tsc's NodeNext
 * convention): a relative `.js` specifier that does not exist resolves to its `.ts` file.
 * Node 24 strips the types itself.   node --import ./typescript-sources.ts script.ts
 */
import { registerHooks } from 'node:module';

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      if (specifier.startsWith('.') && specifier.endsWith('.js'))
        return nextResolve(`${specifier.slice(0, -3)}.ts`, context);
      throw error;
    }
  },
});
