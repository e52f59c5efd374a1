// LogTail over a fake CloudWatch Logs stream: reads from the head, then only what is new,
// following forward tokens (a page that repeats its token is the last one for now).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LogTail, type LogPage, type LogsApi } from '../../../src/aws/logs';

function fakeStream(pageSize: number): LogsApi & { lines: string[]; calls: (string | undefined)[] } {
  const lines: string[] = [];
  const calls: (string | undefined)[] = [];
  return {
    lines,
    calls,
    getLogEvents(_group, _stream, token): Promise<LogPage> {
      calls.push(token);
      const from = token === undefined ? 0 : Number(token.slice(2));
      const page = lines.slice(from, from + pageSize);
      return Promise.resolve({
        lines: page.map((message) => ({ message })),
        nextForwardToken: `f/${from + page.length}`,
      });
    },
  };
}

describe('LogTail', () => {
  it('drains every page, then returns only new lines', async () => {
    const api = fakeStream(2);
    api.lines.push('a\n', 'b\n', 'c\n');
    const tail = new LogTail(api, 'g', 's');
    assert.deepEqual(await tail.read(), ['a\n', 'b\n', 'c\n']);
    assert.deepEqual(await tail.read(), []);
    api.lines.push('d\n');
    assert.deepEqual(await tail.read(), ['d\n']);
    assert.equal(api.calls[0], undefined, 'the first read starts at the head');
  });

  it('stops at the page limit so one read cannot loop forever', async () => {
    const api = fakeStream(1);
    api.lines.push(...Array.from({ length: 10 }, (_, i) => `${i}\n`));
    const tail = new LogTail(api, 'g', 's', 3);
    assert.equal((await tail.read()).length, 3);
    assert.equal((await tail.read()).length, 3);
  });
});

describe('LogTail before the stream exists', () => {
  it('reads nothing (not an error) until CodeBuild has created the stream', async () => {
    let exists = false;
    const api: LogsApi = {
      getLogEvents: (_g, _s, token) => {
        if (token === 'f/1') {
          return Promise.resolve({ lines: [], nextForwardToken: 'f/1' });
        }
        if (!exists) {
          return Promise.reject(
            Object.assign(new Error('The specified log stream does not exist.'), { name: 'ResourceNotFoundException' }),
          );
        }
        return Promise.resolve({ lines: [{ message: 'hello\n' }], nextForwardToken: 'f/1' });
      },
    };
    const tail = new LogTail(api, 'g', 's');
    assert.deepEqual(await tail.read(), []);
    exists = true;
    assert.deepEqual(await tail.read(), ['hello\n']);
  });
});
