// A select of the workspace's credentials of the types a `credential` param accepts, for the inspector.
// "New credential…" opens the credentials page in a new tab; Reload (ResourcePicker) picks up what was added there.
import { ResourcePicker, type PickerProps } from './ResourcePicker';

interface Option {
  id: string;
  name: string;
  type: string;
}

const credentialsOf = (body: unknown) => (body as { credentials: Option[] }).credentials;

export function CredentialPicker(props: PickerProps & { types: readonly string[] }) {
  const { types, ...picker } = props;
  return (
    <ResourcePicker
      {...picker}
      url={`/api/credentials?type=${encodeURIComponent(types.join(','))}`}
      items={credentialsOf}
      noun="credential"
      empty="No credential of a type this node takes yet."
    >
      {() =>
        !props.readOnly && (
          <a
            className="link-button"
            href={`/credentials?new=${encodeURIComponent(types[0] ?? '')}`}
            target="_blank"
            rel="noreferrer"
          >
            New credential…
          </a>
        )
      }
    </ResourcePicker>
  );
}
