// Step-up login: a subgraph that answers INSUFFICIENT_AUTHENTICATION_LEVEL names the level the data needs
// (extensions.requiredAcr); the gateway adds where to log in at that level, which only it knows: its own /auth/login
// with `acr`, which asks ID-porten for that level (acr_values, FIKS-FACTS §3) and checks the login meets it.
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { isAcr, type Acr } from '../../access/principal.ts';

export const STEP_UP_CODE = 'INSUFFICIENT_AUTHENTICATION_LEVEL';
/** What to ask for when the error does not say: the strongest level there is. */
const STRONGEST: Acr = 'idporten-loa-high';

/** The login URL that asks for `acr`. */
export function stepUpLoginUrl(loginUrl: string, acr: Acr): string {
  const url = new URL(loginUrl);
  url.searchParams.set('acr', acr);
  return url.href;
}

/** Completes the extensions of an INSUFFICIENT_AUTHENTICATION_LEVEL error: the level needed (the strongest when
 * the error does not say) and the login URL that asks for it. Also for refusals outside GraphQL (document content). */
export function addStepUpLogin(extensions: Record<string, unknown>, loginUrl: string): void {
  const acr = isAcr(extensions.requiredAcr) ? extensions.requiredAcr : STRONGEST;
  extensions.requiredAcr = acr;
  extensions.loginUrl = stepUpLoginUrl(loginUrl, acr);
}

export interface StepUpOptions {
  /** The gateway's own browser login (`/auth/login`); the plugin adds `acr`. No default: without browser login
   * there is nowhere to step up, and the plugin is not installed. */
  loginUrl: string;
}

export function stepUpPlugin<C extends BaseContext>({ loginUrl }: StepUpOptions): ApolloServerPlugin<C> {
  return {
    requestDidStart() {
      return Promise.resolve({
        willSendResponse({ response }) {
          if (response.body.kind !== 'single') return Promise.resolve();
          const { errors = [], data } = response.body.singleResult;
          for (const error of errors) {
            const { extensions } = error;
            if (extensions?.code === STEP_UP_CODE) addStepUpLogin(extensions, loginUrl);
          }
          // Nothing answered but the need to step up (e.g. a download link for a level-4 document): 403, as the
          // content door answers, so a frontend can act on the status alone.
          const onlyStepUp = errors.length > 0 && errors.every((e) => e.extensions?.code === STEP_UP_CODE);
          if (onlyStepUp && (data === null || data === undefined)) response.http.status = 403;
          return Promise.resolve();
        },
      });
    },
  };
}
