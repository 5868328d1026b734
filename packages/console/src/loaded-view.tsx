import type { ComponentChildren } from 'preact';
import type { Loaded } from './use-api';

/** Loading and failure said the same way on every page; `render` once the answer is there. */
export function LoadedView<T>(props: { loaded: Loaded<T>; what: string; render: (value: T) => ComponentChildren }) {
  const { loaded } = props;
  if (loaded.state === 'loading')
    return (
      <p class="muted" role="status">
        Loading {props.what}…
      </p>
    );
  if (loaded.state === 'failed')
    return (
      <p class="failure" role="alert">
        Could not load {props.what}: {loaded.message}
      </p>
    );
  return <>{props.render(loaded.value)}</>;
}
