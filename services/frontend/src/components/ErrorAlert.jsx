export default function ErrorAlert({ error, onDismiss }) {
  if (!error) return null;
  return (
    <div className="alert" role="alert" data-testid="error-alert">
      <p className="alert__message">{error.message}</p>
      {error.requestId ? <p className="alert__meta">Request id: {error.requestId}</p> : null}
      {onDismiss ? (
        <button type="button" className="button button--ghost" onClick={onDismiss}>
          Dismiss
        </button>
      ) : null}
    </div>
  );
}
