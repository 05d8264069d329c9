import { Field } from "./field";
import { Input } from "./input";
import { cn } from "./cn";

/** "Type NAME to confirm" before something that cannot be undone (a registry, a repository). */
export function TypedNameField(props: { id: string; name: string; value: string; onChange: (value: string) => void; error?: string; disabled?: boolean; className?: string }) {
  return (
    <Field id={props.id} label={`Type ${props.name} to confirm`} error={props.error}>
      <Input
        id={props.id}
        value={props.value}
        autoComplete="off"
        spellCheck={false}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.target.value)}
        className={cn("font-mono", props.className)}
      />
    </Field>
  );
}
