// The bar above GraphiQL: who is logged in and for which organisation, the organisation to act for, and the login
// or logout button. Only what GET /auth/me tells: the level of the login and the organisation with its roles; the
// platform keeps no names, and the fødselsnummer is not shown (anyone looking at the screen would see it).
import { useState, type FormEvent } from 'react';
import { logOut, loginUrl, type WhoAmI } from './session.ts';

export interface SessionBarProps {
  who: WhoAmI | undefined;
  actFor: string;
  onActFor: (orgnr: string) => void;
  onLoggedOut: () => void;
}

function describe(who: WhoAmI | undefined): string {
  if (!who) return '…';
  if (!who.loggedIn) return 'Ikke innlogget';
  if ('refused' in who) return `Innlogget, men ikke for denne organisasjonen: ${who.refused}`;
  const level = `Innlogget (${who.acr})`;
  if (!who.actingFor) return level;
  const roles = who.actingFor.roles.join(', ');
  return `${level}, for ${who.actingFor.orgnr}${roles ? `: ${roles}` : ''}`;
}

export function SessionBar({ who, actFor, onActFor, onLoggedOut }: SessionBarProps) {
  const [draft, setDraft] = useState(actFor);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onActFor(draft.trim());
  };
  const logout = () => {
    void logOut().then(onLoggedOut, onLoggedOut);
  };
  return (
    <header className="fiks-session" aria-label="Innlogging">
      <strong className="fiks-title">Fiks Gateway</strong>
      <span id="who" aria-live="polite">
        {describe(who)}
      </span>
      <form className="fiks-act-for" onSubmit={submit}>
        <label htmlFor="act-for">Opptre for organisasjon</label>
        <input
          id="act-for"
          inputMode="numeric"
          pattern="[0-9]{9}"
          placeholder="organisasjonsnummer"
          size={14}
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
        />
        <button type="submit">Bruk</button>
      </form>
      {who?.loggedIn ? (
        <button id="logout" type="button" onClick={logout}>
          Logg ut
        </button>
      ) : (
        <a id="login" className="fiks-button" href={loginUrl()}>
          Logg inn
        </a>
      )}
    </header>
  );
}
