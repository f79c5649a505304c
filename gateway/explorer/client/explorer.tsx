// The explorer: the session bar above GraphiQL. GraphiQL keeps its tabs, history and headers in sessionStorage,
// not localStorage, so operations (which may name a person) do not outlive the browser tab on a shared computer.
import { GraphiQL } from 'graphiql';
import { useCallback, useEffect, useMemo, useState } from 'react';
import example from './example.graphql';
import { gatewayFetcher } from './fetcher.ts';
import { SessionBar } from './session-bar.tsx';
import { storeActFor, storedActFor, whoAmI, type WhoAmI } from './session.ts';

export function Explorer() {
  const [actFor, setActFor] = useState(storedActFor);
  const [who, setWho] = useState<WhoAmI>();
  const refresh = useCallback(() => {
    whoAmI(actFor).then(setWho, () => setWho({ loggedIn: false }));
  }, [actFor]);
  useEffect(refresh, [refresh]);
  const fetcher = useMemo(() => gatewayFetcher(actFor), [actFor]);
  const chooseActFor = (orgnr: string) => {
    storeActFor(orgnr);
    setActFor(orgnr);
  };
  return (
    <div className="fiks-explorer">
      <SessionBar who={who} actFor={actFor} onActFor={chooseActFor} onLoggedOut={refresh} />
      <main className="fiks-graphiql">
        <GraphiQL fetcher={fetcher} defaultQuery={example} storage={sessionStorage} />
      </main>
    </div>
  );
}
