// Bundles the dashboard and GraphiQL into dist/ (served by the gateway). Run by `npm run build`, which the GraphApi
// project's ClientApp.targets runs during `dotnet build` when a source file is newer than dist/.
import { build } from 'esbuild';
import { cp, rm } from 'node:fs/promises';

await rm('dist', { recursive: true, force: true });
await build({
  entryPoints: { dashboard: 'src/dashboard/main.js', graphiql: 'src/graphiql/main.jsx' },
  outdir: 'dist/assets',
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  jsx: 'automatic',
  // GraphiQL's stylesheet embeds its fonts; everything is served from this origin (CSP: no CDN).
  loader: { '.woff2': 'dataurl', '.woff': 'dataurl', '.graphql': 'text' },
  define: { 'process.env.NODE_ENV': '"production"' },
  legalComments: 'linked',
  logLevel: 'warning',
});
await cp('public', 'dist', { recursive: true });
console.log('client app built into dist/');
