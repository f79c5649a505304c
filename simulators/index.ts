// Starts the three stand-ins together: Maskinporten first, since Altinn trusts its tokens, with the demo clients
// registered on it. Everything listens on 127.0.0.1; stop() closes all of them.
import { startAltinn, type AltinnOptions, type AltinnSimulator } from './altinn.ts';
import { generateDemoClients, type DemoMaskinportenClients } from './demo-clients.ts';
import { startIdporten, type IdportenOptions, type IdportenSimulator } from './idporten.ts';
import { startMaskinporten, type MaskinportenOptions, type MaskinportenSimulator } from './maskinporten.ts';
import { SimulatorRefusedError, type SimulatorMode } from './production-guard.ts';

export interface SimulatorsOptions {
  /** 'production' is refused. */
  mode: SimulatorMode;
  idporten?: Omit<IdportenOptions, 'mode'>;
  /** Clients given here are registered next to the demo clients. */
  maskinporten?: Omit<MaskinportenOptions, 'mode'>;
  altinn?: Omit<AltinnOptions, 'mode' | 'maskinportenIssuer' | 'maskinportenJwksUri'>;
}

export interface Simulators {
  idporten: IdportenSimulator;
  maskinporten: MaskinportenSimulator;
  altinn: AltinnSimulator;
  demoClients: DemoMaskinportenClients;
  stop(): Promise<void>;
}

async function stopAll(running: { stop(): Promise<void> }[]): Promise<void> {
  await Promise.allSettled(running.map((s) => s.stop()));
}

export async function startSimulators(options: SimulatorsOptions): Promise<Simulators> {
  if (options.mode === 'production') {
    throw new SimulatorRefusedError(
      'The local stand-ins for ID-porten, Maskinporten and Altinn refuse to start in production mode: ' +
        'they issue tokens for synthetic identities. Configure the real services instead.',
    );
  }
  const demoClients = await generateDemoClients();
  const running: { stop(): Promise<void> }[] = [];
  try {
    const maskinporten = await startMaskinporten({
      ...options.maskinporten,
      mode: options.mode,
      clients: [
        ...(options.maskinporten?.clients ?? []),
        demoClients.integration.registration,
        demoClients.platform.registration,
      ],
    });
    running.push(maskinporten);
    const altinn = await startAltinn({
      ...options.altinn,
      mode: options.mode,
      maskinportenIssuer: maskinporten.issuer,
      maskinportenJwksUri: maskinporten.jwksUri,
    });
    running.push(altinn);
    const idporten = await startIdporten({ ...options.idporten, mode: options.mode });
    running.push(idporten);
    return { idporten, maskinporten, altinn, demoClients, stop: () => stopAll(running) };
  } catch (error) {
    await stopAll(running);
    throw error;
  }
}

export { SimulatorRefusedError, type SimulatorMode } from './production-guard.ts';
export type { AltinnOptions, AltinnSimulator } from './altinn.ts';
export type { DemoMaskinportenClient, DemoMaskinportenClients } from './demo-clients.ts';
export type { IdportenClient, IdportenOptions, IdportenSimulator } from './idporten.ts';
export type {
  MaskinportenClientRegistration,
  MaskinportenOptions,
  MaskinportenSimulator,
} from './maskinporten.ts';
