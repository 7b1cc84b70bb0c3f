/** A list of values entered as chips: type a value and press Enter or a comma to add it, Backspace in the empty
 * input removes the last one, each chip has its own remove button. What is typed but not yet a chip becomes one
 * when the field loses focus, so nothing typed is lost. */
import { useRef, useState } from "react";
import { Icon } from "../components/Icon";
import { addChips, splitTyped } from "./branches";

type Value = string | number;

export function ValueChips({
  chips,
  testId,
  label,
  placeholder,
  hint,
  removeLabel,
  onChange,
}: {
  chips: Value[];
  /** The input's test id; chips are `<testId>-chip-<j>`, their remove buttons `<testId>-chip-<j>-remove`. */
  testId: string;
  /** The accessible name of the list and its input ("Branch 1: Matching values"). */
  label: string;
  placeholder: string;
  /** The hint on how to add and remove chips (the input's title). */
  hint: string;
  /** The accessible name of a chip's remove button ("Remove “female” from branch 1"). */
  removeLabel: (value: string) => string;
  onChange: (chips: Value[]) => void;
}) {
  const [draft, setDraft] = useState("");
  const input = useRef<HTMLInputElement>(null);

  const commit = (text: string) => {
    const next = addChips(chips, text);
    if (next.length !== chips.length) onChange(next);
  };

  return (
    <div className="chips" data-testid={`${testId}-chips`} data-count={chips.length} onClick={() => input.current?.focus()}>
      {chips.length > 0 && (
        <ul className="chip-list" aria-label={label}>
          {chips.map((v, j) => (
            <li key={`${j}:${String(v)}`} className="chip" data-testid={`${testId}-chip-${j}`} data-value={String(v)}>
              <span className="chip-text" title={String(v)}>
                {String(v)}
              </span>
              <button
                type="button"
                className="chip-remove"
                data-testid={`${testId}-chip-${j}-remove`}
                aria-label={removeLabel(String(v))}
                title={removeLabel(String(v))}
                onClick={(e) => {
                  e.stopPropagation();
                  onChange(chips.filter((_, k) => k !== j));
                  input.current?.focus();
                }}
              >
                <Icon name="x" size={11} />
              </button>
            </li>
          ))}
        </ul>
      )}
      <input
        ref={input}
        type="text"
        data-testid={testId}
        aria-label={label}
        placeholder={chips.length ? "" : placeholder}
        title={hint}
        value={draft}
        onChange={(e) => {
          // A separator typed (or pasted) completes what came before it.
          const { complete, rest } = splitTyped(e.target.value);
          if (complete) commit(complete);
          setDraft(rest.trimStart());
        }}
        onKeyDown={(e) => {
          if (e.nativeEvent.isComposing) return; // Enter picks a character in an input method (注音, 倉頡…)
          if (e.key === "Enter") {
            e.preventDefault();
            if (draft.trim()) commit(draft);
            setDraft("");
          } else if (e.key === "Backspace" && draft === "" && chips.length > 0) {
            e.preventDefault();
            onChange(chips.slice(0, -1));
          }
        }}
        onBlur={() => {
          if (!draft.trim()) return;
          commit(draft);
          setDraft("");
        }}
      />
    </div>
  );
}
