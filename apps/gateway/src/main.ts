import 'reflect-metadata';
import path from 'node:path';
import { runConfigCheck } from '@edge/gateway-config';
import { InvalidGatewayConfigError, resolveConfigFile, startGateway } from '@edge/gateway-edge';

const argv = process.argv.slice(2);

async function main(): Promise<void> {
  if (argv[0] === 'check') {
    process.exitCode = await runConfigCheck(argv, {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
    });
    return;
  }
  const configFile = resolveConfigFile(argv, process.env, path.join(__dirname, '../config/gateway.yaml'));
  try {
    await startGateway({ configFile });
  } catch (error) {
    if (error instanceof InvalidGatewayConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`gateway failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
