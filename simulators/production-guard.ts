// Every stand-in refuses production. They issue tokens for synthetic identities to anyone who asks, so a
// gateway that trusted one in production would accept forged logins (DESIGN.md "External services and their
// stand-ins"; FIKS-FACTS §8: synthetic numbers should be accepted only outside production).

/** The platform's modes (common/config.ts `FIKS_MODE`); tests may pass 'test'. */
export type SimulatorMode = 'development' | 'production' | 'test';

export class SimulatorRefusedError extends Error {
  override name = 'SimulatorRefusedError';
  readonly code = 'SIMULATOR_REFUSED_IN_PRODUCTION';
}

/** Throws when `mode` is production, naming the real service the caller should point at instead. */
export function refuseProduction(mode: SimulatorMode | undefined, service: string, realUrl: string): void {
  if (mode === 'production') {
    throw new SimulatorRefusedError(
      `The ${service} stand-in refuses to start in production mode: it issues tokens for synthetic identities. ` +
        `Point the gateway at the real ${service} (${realUrl}) instead.`,
    );
  }
}
