// A small C program whose user stack is known, for tests of user-space symbolisation: after a
// line on stdin it blocks `count` times for `ms` milliseconds in nt_block_here() (called by
// nt_outer_wait(), called by nt_via_K(), called by main(); `blocker COUNT MS PATHS`: block i goes
// through nt_via_(i % PATHS), so PATHS (at most 128) distinct user stacks), making the nanosleep system call itself (a libc wrapper
// built without frame pointers would hide its caller from the kernel's frame-pointer unwinder),
// prints "done", and exits at EOF on stdin. It first prints "addr 0x<address of nt_block_here>".
// Built three ways: with its symbols (.symtab), stripped, and stripped with the symbols in an
// xz-compressed .gnu_debugdata section (MiniDebugInfo), so names can only come from there.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** 128 functions nt_via_K, each calling nt_outer_wait from its own call site, and their table. */
const VIA = [
  ...Array.from({ length: 128 }, (_, k) => `__attribute__((noinline)) void nt_via_${k}(long ms) { nt_outer_wait(ms); }`),
  '#define PATHS 128',
  `static void (*const via[PATHS])(long) = {${Array.from({ length: 128 }, (_, k) => `nt_via_${k}`).join(', ')}};`,
].join('\n');

const SOURCE = String.raw`
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

__attribute__((noinline)) void nt_block_here(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
#if defined(__x86_64__)
    long ret;
    __asm__ volatile("syscall" : "=a"(ret) : "0"(35L), "D"(&ts), "S"(0L) : "rcx", "r11", "memory");
#elif defined(__aarch64__)
    register long x0 __asm__("x0") = (long)&ts;
    register long x1 __asm__("x1") = 0;
    register long x8 __asm__("x8") = 101;
    __asm__ volatile("svc 0" : "+r"(x0) : "r"(x1), "r"(x8) : "memory");
#else
    nanosleep(&ts, 0);
#endif
}

__attribute__((noinline)) void nt_outer_wait(long ms) { nt_block_here(ms); }

${VIA}
int main(int argc, char **argv) {
    long count = argc > 1 ? atol(argv[1]) : 1, ms = argc > 2 ? atol(argv[2]) : 100;
    long paths = argc > 3 ? atol(argv[3]) : 1;
    char buf[64];
    printf("addr %p\n", (void *)nt_block_here);
    fflush(stdout);
    if (read(0, buf, sizeof(buf)) <= 0) return 1;
    for (long i = 0; i < count; i++) via[i % paths % PATHS](ms);
    printf("done\n");
    fflush(stdout);
    while (read(0, buf, sizeof(buf)) > 0) {
    }
    return 0;
}
`;

export type BlockerPrograms = { symbols: string; stripped: string; minidebug: string };

/** Builds the three variants in a new temporary directory. */
export function buildBlockerPrograms(): BlockerPrograms {
  const dir = mkdtempSync(join(tmpdir(), 'nt-blocker-'));
  const src = join(dir, 'blocker.c');
  writeFileSync(src, SOURCE);
  const symbols = join(dir, 'blocker');
  const stripped = join(dir, 'blocker-stripped');
  const minidebug = join(dir, 'blocker-minidebug');
  execFileSync('cc', ['-O0', '-fno-omit-frame-pointer', '-o', symbols, src]);
  execFileSync('objcopy', ['--strip-all', symbols, stripped]);
  // MiniDebugInfo as distributions make it: the symbol table in a small ELF, xz-compressed.
  const mini = join(dir, 'mini');
  execFileSync('objcopy', ['--strip-debug', '--remove-section=.comment', symbols, mini]);
  execFileSync('xz', ['--keep', '--force', mini]);
  execFileSync('objcopy', ['--add-section', `.gnu_debugdata=${mini}.xz`, stripped, minidebug]);
  return { symbols, stripped, minidebug };
}
