// A parameter's AllowedPattern, checked as the user types. Patterns come from the template, so any
// of them may be catastrophic for a backtracking engine (`(a+)+$` froze the extension host): they
// run on re2js, a pure-JS port of RE2 that matches in linear time, with no worker or WebAssembly to
// load (the same bundle works in desktop VS Code and code-server). It lives in the lazy cfnYaml
// chunk, beside the template parser that already ran when a value is checked.
import { RE2JS } from 're2js';

export type PatternCheck =
  /** `matches` is a whole-value match, as CloudFormation anchors AllowedPattern. */
  | { readonly kind: 'checked'; matches(value: string): boolean }
  /** Not a regular expression at all (`[`): a template error. */
  | { readonly kind: 'invalid'; readonly reason: string }
  /**
   * Valid, but uses what no linear-time engine offers (lookaround, backreferences): it is not
   * run here, and CloudFormation checks the value when the change set is created.
   */
  | { readonly kind: 'unchecked'; readonly reason: string };

const compiled = new Map<string, PatternCheck>();

export function allowedPattern(pattern: string): PatternCheck {
  let check = compiled.get(pattern);
  if (!check) {
    check = compile(pattern);
    compiled.set(pattern, check);
  }
  return check;
}

function compile(pattern: string): PatternCheck {
  try {
    const re = RE2JS.compile(pattern);
    return { kind: 'checked', matches: (value) => re.matches(value) };
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^error parsing regexp: /, '') : String(error);
    try {
      // Compiling (never running) a JavaScript RegExp only parses it: it tells an unsupported
      // feature from a broken pattern.
      new RegExp(pattern, 'u');
      return { kind: 'unchecked', reason };
    } catch {
      return { kind: 'invalid', reason };
    }
  }
}
