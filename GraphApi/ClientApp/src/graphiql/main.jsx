// GraphiQL over the gateway: queries over HTTP, subscriptions over graphql-transport-ws, both with the key from the
// page's key field. GraphiQL's own state (tabs, history) goes to sessionStorage, and headers are never persisted.
import { buildSchema, parse } from 'graphql';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import 'graphiql/style.css';
import '../styles/app.css';
import { setUpKeyForm } from '../shared/keyForm.js';
import { openSocket } from '../shared/socket.js';
import { setSocketState } from '../dashboard/connectionStatus.js';
import { exampleTabs } from './examples.js';
// The committed SDL (a test keeps it equal to the served schema), bundled: the docs show before a key is entered,
// with no introspection round trip.
import schemaSdl from '../../../../schema.graphql';

const schema = buildSchema(schemaSdl);

function parseOrNull(query) {
  try {
    return parse(query);
  } catch {
    return null; // the server answers with the syntax error
  }
}

const root = createRoot(document.getElementById('graphiql'));
let socket = null;
let generation = 0;

setUpKeyForm((key) => {
  socket?.dispose();
  socket = null;
  generation++;
  if (!key) {
    setSocketState('none');
    root.render(<p className="empty">Enter an API key above to explore the API.</p>);
    return;
  }
  socket = openSocket(key, setSocketState);
  const toolkitFetcher = createGraphiQLFetcher({
    url: '/graphql',
    headers: { 'X-Api-Key': key },
    wsClient: socket,
    enableIncrementalDelivery: false,
  });
  // The toolkit sends subscriptions over the socket when it is given the operation's AST. GraphiQL's copy is updated
  // 100 ms after an edit (or a tab switch), so the text being run is parsed here instead.
  const fetcher = (params, options) => toolkitFetcher(params, { ...options, documentAST: parseOrNull(params.query) ?? options?.documentAST });
  root.render(
    <GraphiQL
      key={generation}
      fetcher={fetcher}
      schema={schema}
      defaultTabs={exampleTabs}
      storage={sessionStorage}
      shouldPersistHeaders={false}
      showPersistHeadersSettings={false}
      defaultEditorToolsVisibility={false}
    />,
  );
});
