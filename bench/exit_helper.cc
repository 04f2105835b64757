// The smallest program there is: a static executable without libc whose
// entry point calls exit_group(0). process_bench execs it, so that
// BM_ForkExecWait times fork, execve and wait themselves and not a libc's or
// a dynamic loader's start-up (BM_ForkExecWaitBinTrue has those).
//
// Linked with -static -nostdlib (bench/CMakeLists.txt): no function here, only
// the entry point in assembly, so there is no prologue that could assume the
// stack alignment of a call.
asm(R"(
  .text
  .globl _start
  .type _start, @function
_start:
  mov $231, %eax      # exit_group
  xor %edi, %edi      # status 0
  syscall
  hlt
)");
