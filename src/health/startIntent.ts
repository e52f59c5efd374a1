// A service the extension created with no tasks, because its image did not exist yet, should run
// the tasks its stack intends as soon as an image exists: the first pipeline run pushes one. The
// deploy remembers that intent; the health tracker offers to start the tasks (one confirmation)
// when the image lands. The intent is forgotten once the service runs tasks or the user answers,
// so a service the user scales down on purpose later is never scaled back up.
import { parseImage } from './imageTag';

export interface StartIntent {
  /** The task count the service stack intends (its DesiredCount default). */
  readonly desired: number;
  /** Epoch ms the service was created with no tasks. */
  readonly since: number;
}

/** Where intents are kept across windows (the editor's global state; a Map in tests). */
export interface StartIntentStore {
  get(key: string): StartIntent | undefined;
  set(key: string, intent: StartIntent): void;
  delete(key: string): void;
}

export function startIntentKey(at: {
  readonly account: string;
  readonly region: string;
  readonly cluster: string;
  readonly service: string;
}): string {
  return `${at.account}/${at.region}/${at.cluster}/${at.service}`;
}

export class MemoryStartIntents implements StartIntentStore {
  private readonly intents = new Map<string, StartIntent>();
  get(key: string): StartIntent | undefined {
    return this.intents.get(key);
  }
  set(key: string, intent: StartIntent): void {
    this.intents.set(key, intent);
  }
  delete(key: string): void {
    this.intents.delete(key);
  }
}

/** `<account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag>` → its repository and tag; undefined outside ECR. */
export function ecrImage(image: string): { repository: string; tag: string } | undefined {
  const ref = parseImage(image);
  const match = /^\d{12}\.dkr\.ecr(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\/(.+)$/.exec(ref.repository);
  if (!match || ref.digest !== undefined) {
    return undefined;
  }
  return { repository: match[1], tag: ref.tag ?? 'latest' };
}

/** What the Service Health view offers for a service that runs no task. */
export interface StartOffer {
  /** Tasks to start: the remembered intent, else the service stack's default. */
  readonly desired: number;
  /** The image the tasks would run exists (undefined: not known). */
  readonly imageReady: boolean | undefined;
  /** The extension created the service empty and this is the moment to ask (once). */
  readonly ask: boolean;
}
