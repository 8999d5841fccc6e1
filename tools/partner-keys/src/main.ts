import { runPartnerKeys } from './partner-keys.cli';

// Manages partner API keys over the partner BFF's key store: `npm run partner-keys -- --help`.
runPartnerKeys(process.argv.slice(2), {
  env: process.env,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`partner-keys: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
