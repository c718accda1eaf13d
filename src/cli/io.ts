// Where CLI output goes: the real streams by default, buffers in tests.

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const processIo: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

/** Sets the exit code a command's run ends with (commander actions cannot return one). */
export type SetExit = (code: number) => void;
