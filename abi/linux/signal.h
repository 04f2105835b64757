// Signals: numbers, sigaction and its flags, masks, alternate stacks, siginfo and its si_code
// values, sigevent, and the x86-64 signal frame (ucontext, sigcontext, FPU/XSAVE state).
//
// Mirrors arch/x86/include/uapi/asm/signal.h, include/uapi/asm-generic/signal-defs.h,
// include/uapi/asm-generic/siginfo.h, arch/x86/include/uapi/asm/sigcontext.h,
// arch/x86/include/uapi/asm/ucontext.h, include/uapi/asm-generic/ucontext.h and the kernel's
// arch/x86/include/asm/sigframe.h (struct rt_sigframe).
//
// libc #defines several kernel field names (sa_handler, si_pid, si_addr, sigev_notify_thread_id,
// ...) as macros, and the sentry includes libc headers, so those fields cannot keep their
// spelling here: SigAction names its fields handler/flags/restorer/mask, and Siginfo and SigEvent
// keep the kernel's underlying union members (_sifields._kill._pid, _sigev_un._tid), which the
// kernel's own si_* macros expand to, with accessors such as Siginfo::Pid().
//
// Usage:
//   abi_linux::SigAction act;  // copied in by rt_sigaction
//   if (act.handler == abi_linux::kSIG_IGN) ...
//   abi_linux::Siginfo info{};
//   info.si_signo = abi_linux::kSIGCHLD;
//   info.si_code = abi_linux::kCLD_EXITED;
//   info.SetPid(pid);
//   info.SetStatus(status);

#ifndef ABI_LINUX_SIGNAL_H_
#define ABI_LINUX_SIGNAL_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>


namespace abi_linux {

// Signal numbers.
inline constexpr int kSIGHUP = 1;
inline constexpr int kSIGINT = 2;
inline constexpr int kSIGQUIT = 3;
inline constexpr int kSIGILL = 4;
inline constexpr int kSIGTRAP = 5;
inline constexpr int kSIGABRT = 6;
inline constexpr int kSIGIOT = 6;
inline constexpr int kSIGBUS = 7;
inline constexpr int kSIGFPE = 8;
inline constexpr int kSIGKILL = 9;
inline constexpr int kSIGUSR1 = 10;
inline constexpr int kSIGSEGV = 11;
inline constexpr int kSIGUSR2 = 12;
inline constexpr int kSIGPIPE = 13;
inline constexpr int kSIGALRM = 14;
inline constexpr int kSIGTERM = 15;
inline constexpr int kSIGSTKFLT = 16;
inline constexpr int kSIGCHLD = 17;
inline constexpr int kSIGCONT = 18;
inline constexpr int kSIGSTOP = 19;
inline constexpr int kSIGTSTP = 20;
inline constexpr int kSIGTTIN = 21;
inline constexpr int kSIGTTOU = 22;
inline constexpr int kSIGURG = 23;
inline constexpr int kSIGXCPU = 24;
inline constexpr int kSIGXFSZ = 25;
inline constexpr int kSIGVTALRM = 26;
inline constexpr int kSIGPROF = 27;
inline constexpr int kSIGWINCH = 28;
inline constexpr int kSIGIO = 29;
inline constexpr int kSIGPOLL = kSIGIO;
inline constexpr int kSIGPWR = 30;
inline constexpr int kSIGSYS = 31;
inline constexpr int kSIGUNUSED = 31;
inline constexpr int kSIGRTMIN = 32;  // The kernel's; glibc reserves 32..34 and reports 35.
inline constexpr int kSIGRTMAX = 64;
inline constexpr int kNumSignals = 64;  // _NSIG; valid signals are 1..kNumSignals.

// A set of signals, as passed to rt_sigprocmask & co (sigsetsize == 8): bit (sig - 1) set.
using SigSet = uint64_t;
inline constexpr std::size_t kSigSetSize = sizeof(SigSet);
constexpr SigSet SignalBit(int sig) { return SigSet{1} << (sig - 1); }
// SIGKILL and SIGSTOP can be neither blocked, caught nor ignored.
inline constexpr SigSet kUnblockableSignals = SignalBit(kSIGKILL) | SignalBit(kSIGSTOP);

// sigaction flags.
inline constexpr uint64_t kSA_NOCLDSTOP = 0x00000001;
inline constexpr uint64_t kSA_NOCLDWAIT = 0x00000002;
inline constexpr uint64_t kSA_SIGINFO = 0x00000004;
inline constexpr uint64_t kSA_UNSUPPORTED = 0x00000400;  // Never supported: detects old kernels.
inline constexpr uint64_t kSA_EXPOSE_TAGBITS = 0x00000800;
inline constexpr uint64_t kSA_RESTORER = 0x04000000;
inline constexpr uint64_t kSA_ONSTACK = 0x08000000;
inline constexpr uint64_t kSA_RESTART = 0x10000000;
inline constexpr uint64_t kSA_NODEFER = 0x40000000;
inline constexpr uint64_t kSA_RESETHAND = 0x80000000;
inline constexpr uint64_t kSA_NOMASK = kSA_NODEFER;
inline constexpr uint64_t kSA_ONESHOT = kSA_RESETHAND;

// rt_sigprocmask how.
inline constexpr int kSIG_BLOCK = 0;
inline constexpr int kSIG_UNBLOCK = 1;
inline constexpr int kSIG_SETMASK = 2;

// Special handler values.
inline constexpr uint64_t kSIG_DFL = 0;
inline constexpr uint64_t kSIG_IGN = 1;
inline constexpr uint64_t kSIG_ERR = ~0ULL;

// The x86-64 struct sigaction of rt_sigaction (kernel field names: sa_handler, sa_flags,
// sa_restorer, sa_mask; renamed because libc #defines sa_handler).
struct SigAction {
  uint64_t handler;   // SIG_DFL, SIG_IGN or a guest function address.
  uint64_t flags;     // SA_*.
  uint64_t restorer;  // Guest address of the sigreturn trampoline (SA_RESTORER).
  SigSet mask;        // Signals blocked while the handler runs.
};
static_assert(sizeof(SigAction) == 32);
static_assert(offsetof(SigAction, flags) == 8);
static_assert(offsetof(SigAction, restorer) == 16);
static_assert(offsetof(SigAction, mask) == 24);

// Alternate signal stack.
inline constexpr int kSS_ONSTACK = 1;
inline constexpr int kSS_DISABLE = 2;
inline constexpr uint32_t kSS_AUTODISARM = 1u << 31;  // Or'ed into ss_flags.
inline constexpr uint32_t kSS_FLAG_BITS = kSS_AUTODISARM;
inline constexpr uint64_t kMINSIGSTKSZ = 2048;
inline constexpr uint64_t kSIGSTKSZ = 8192;

// stack_t (struct sigaltstack).
struct StackT {
  uint64_t ss_sp;  // Guest address.
  int32_t ss_flags;
  int32_t pad0;
  uint64_t ss_size;
};
static_assert(sizeof(StackT) == 24);
static_assert(offsetof(StackT, ss_flags) == 8);
static_assert(offsetof(StackT, ss_size) == 16);

// union sigval. sival_ptr is a guest address.
union Sigval {
  int32_t sival_int;
  uint64_t sival_ptr;
};
static_assert(sizeof(Sigval) == 8);

// si_code values for any signal.
inline constexpr int kSI_USER = 0;       // kill, sigsend, raise.
inline constexpr int kSI_KERNEL = 0x80;  // The kernel.
inline constexpr int kSI_QUEUE = -1;     // sigqueue.
inline constexpr int kSI_TIMER = -2;     // POSIX timer expiry.
inline constexpr int kSI_MESGQ = -3;     // POSIX message queue state change.
inline constexpr int kSI_ASYNCIO = -4;   // AIO completion.
inline constexpr int kSI_SIGIO = -5;     // Queued SIGIO.
inline constexpr int kSI_TKILL = -6;     // tkill, tgkill.
inline constexpr int kSI_DETHREAD = -7;  // execve killing the other threads.
inline constexpr int kSI_ASYNCNL = -60;  // glibc async name lookup completion.

// si_code values for SIGILL.
inline constexpr int kILL_ILLOPC = 1;
inline constexpr int kILL_ILLOPN = 2;
inline constexpr int kILL_ILLADR = 3;
inline constexpr int kILL_ILLTRP = 4;
inline constexpr int kILL_PRVOPC = 5;
inline constexpr int kILL_PRVREG = 6;
inline constexpr int kILL_COPROC = 7;
inline constexpr int kILL_BADSTK = 8;
inline constexpr int kILL_BADIADDR = 9;

// si_code values for SIGFPE.
inline constexpr int kFPE_INTDIV = 1;
inline constexpr int kFPE_INTOVF = 2;
inline constexpr int kFPE_FLTDIV = 3;
inline constexpr int kFPE_FLTOVF = 4;
inline constexpr int kFPE_FLTUND = 5;
inline constexpr int kFPE_FLTRES = 6;
inline constexpr int kFPE_FLTINV = 7;
inline constexpr int kFPE_FLTSUB = 8;
inline constexpr int kFPE_FLTUNK = 14;
inline constexpr int kFPE_CONDTRAP = 15;

// si_code values for SIGSEGV.
inline constexpr int kSEGV_MAPERR = 1;  // Address not mapped.
inline constexpr int kSEGV_ACCERR = 2;  // Mapped, but the access is not permitted.
inline constexpr int kSEGV_BNDERR = 3;
inline constexpr int kSEGV_PKUERR = 4;
inline constexpr int kSEGV_ACCADI = 5;
inline constexpr int kSEGV_ADIDERR = 6;
inline constexpr int kSEGV_ADIPERR = 7;
inline constexpr int kSEGV_MTEAERR = 8;
inline constexpr int kSEGV_MTESERR = 9;
inline constexpr int kSEGV_CPERR = 10;  // Control protection fault (6.6+).

// si_code values for SIGBUS.
inline constexpr int kBUS_ADRALN = 1;
inline constexpr int kBUS_ADRERR = 2;  // E.g. access beyond the end of a mapped file.
inline constexpr int kBUS_OBJERR = 3;
inline constexpr int kBUS_MCEERR_AR = 4;
inline constexpr int kBUS_MCEERR_AO = 5;

// si_code values for SIGTRAP.
inline constexpr int kTRAP_BRKPT = 1;
inline constexpr int kTRAP_TRACE = 2;
inline constexpr int kTRAP_BRANCH = 3;
inline constexpr int kTRAP_HWBKPT = 4;
inline constexpr int kTRAP_UNK = 5;
inline constexpr int kTRAP_PERF = 6;

// si_code values for SIGCHLD.
inline constexpr int kCLD_EXITED = 1;
inline constexpr int kCLD_KILLED = 2;
inline constexpr int kCLD_DUMPED = 3;
inline constexpr int kCLD_TRAPPED = 4;
inline constexpr int kCLD_STOPPED = 5;
inline constexpr int kCLD_CONTINUED = 6;

// si_code values for SIGPOLL/SIGIO.
inline constexpr int kPOLL_IN = 1;
inline constexpr int kPOLL_OUT = 2;
inline constexpr int kPOLL_MSG = 3;
inline constexpr int kPOLL_ERR = 4;
inline constexpr int kPOLL_PRI = 5;
inline constexpr int kPOLL_HUP = 6;

// si_code values for SIGSYS.
inline constexpr int kSYS_SECCOMP = 1;
inline constexpr int kSYS_USER_DISPATCH = 2;

inline constexpr std::size_t kSI_MAX_SIZE = 128;

// siginfo_t (x86-64, 128 bytes). The kernel spells the union members through macros
// (si_pid = _sifields._kill._pid, ...); use the members or the accessors below.
struct Siginfo {
  int32_t si_signo;
  int32_t si_errno;
  int32_t si_code;
  int32_t pad0;  // The union is 8-byte aligned.
  union {
    // kill, tkill, tgkill: SI_USER, SI_TKILL.
    struct {
      int32_t _pid;   // Sender's pid.
      uint32_t _uid;  // Sender's real uid.
    } _kill;
    // POSIX timers: SI_TIMER.
    struct {
      int32_t _tid;      // Timer id (si_timerid in glibc).
      int32_t _overrun;  // Overrun count.
      Sigval _sigval;
      int32_t _sys_private;  // Not passed to user space.
    } _timer;
    // POSIX.1b signals: SI_QUEUE, SI_MESGQ, ...
    struct {
      int32_t _pid;
      uint32_t _uid;
      Sigval _sigval;
    } _rt;
    // SIGCHLD.
    struct {
      int32_t _pid;     // Which child.
      uint32_t _uid;    // Child's real uid.
      int32_t _status;  // Exit code (CLD_EXITED) or signal.
      int32_t pad0;
      int64_t _utime;  // clock_t, USER_HZ ticks.
      int64_t _stime;
    } _sigchld;
    // SIGILL, SIGFPE, SIGSEGV, SIGBUS, SIGTRAP.
    struct {
      uint64_t _addr;  // Faulting instruction or memory reference.
      union {
        int32_t _trapno;
        int16_t _addr_lsb;  // BUS_MCEERR_AR/AO: LSB of the reported address.
        struct {
          uint8_t _dummy_bnd[8];
          uint64_t _lower;
          uint64_t _upper;
        } _addr_bnd;  // SEGV_BNDERR.
        struct {
          uint8_t _dummy_pkey[8];
          uint32_t _pkey;
        } _addr_pkey;  // SEGV_PKUERR.
        struct {
          uint64_t _data;
          uint32_t _type;
          uint32_t _flags;
        } _perf;  // TRAP_PERF.
      };
    } _sigfault;
    // SIGPOLL.
    struct {
      int64_t _band;  // POLL_IN, POLL_OUT, POLL_MSG.
      int32_t _fd;
    } _sigpoll;
    // SIGSYS.
    struct {
      uint64_t _call_addr;  // Calling user instruction.
      int32_t _syscall;     // Triggering system call number.
      uint32_t _arch;       // AUDIT_ARCH_* of the syscall.
    } _sigsys;
  } _sifields;                           // union __sifields: 32 bytes.
  uint8_t pad1[kSI_MAX_SIZE - 16 - 32];  // The rest of the kernel's _si_pad.

  // Accessors named after the kernel's si_* macros.
  constexpr int32_t Pid() const { return _sifields._kill._pid; }
  constexpr void SetPid(int32_t pid) { _sifields._kill._pid = pid; }
  constexpr uint32_t Uid() const { return _sifields._kill._uid; }
  constexpr void SetUid(uint32_t uid) { _sifields._kill._uid = uid; }
  constexpr int32_t TimerId() const { return _sifields._timer._tid; }
  constexpr void SetTimerId(int32_t id) { _sifields._timer._tid = id; }
  constexpr int32_t Overrun() const { return _sifields._timer._overrun; }
  constexpr void SetOverrun(int32_t overrun) { _sifields._timer._overrun = overrun; }
  constexpr Sigval Value() const { return _sifields._rt._sigval; }
  constexpr void SetValue(Sigval value) { _sifields._rt._sigval = value; }
  constexpr int32_t Status() const { return _sifields._sigchld._status; }
  constexpr void SetStatus(int32_t status) { _sifields._sigchld._status = status; }
  constexpr int64_t Utime() const { return _sifields._sigchld._utime; }
  constexpr void SetUtime(int64_t ticks) { _sifields._sigchld._utime = ticks; }
  constexpr int64_t Stime() const { return _sifields._sigchld._stime; }
  constexpr void SetStime(int64_t ticks) { _sifields._sigchld._stime = ticks; }
  constexpr uint64_t Addr() const { return _sifields._sigfault._addr; }
  constexpr void SetAddr(uint64_t addr) { _sifields._sigfault._addr = addr; }
  constexpr int64_t Band() const { return _sifields._sigpoll._band; }
  constexpr void SetBand(int64_t band) { _sifields._sigpoll._band = band; }
  constexpr int32_t Fd() const { return _sifields._sigpoll._fd; }
  constexpr void SetFd(int32_t fd) { _sifields._sigpoll._fd = fd; }
  constexpr uint64_t CallAddr() const { return _sifields._sigsys._call_addr; }
  constexpr void SetCallAddr(uint64_t addr) { _sifields._sigsys._call_addr = addr; }
  constexpr int32_t Syscall() const { return _sifields._sigsys._syscall; }
  constexpr void SetSyscall(int32_t nr) { _sifields._sigsys._syscall = nr; }
  constexpr uint32_t Arch() const { return _sifields._sigsys._arch; }
  constexpr void SetArch(uint32_t arch) { _sifields._sigsys._arch = arch; }
};
static_assert(sizeof(Siginfo) == 128);
static_assert(offsetof(Siginfo, si_errno) == 4);
static_assert(offsetof(Siginfo, si_code) == 8);
static_assert(offsetof(Siginfo, _sifields) == 16);
static_assert(sizeof(Siginfo::_sifields) == 32);
static_assert(offsetof(Siginfo, _sifields._kill._pid) == 16);                  // si_pid.
static_assert(offsetof(Siginfo, _sifields._kill._uid) == 20);                  // si_uid.
static_assert(offsetof(Siginfo, _sifields._timer._overrun) == 20);             // si_overrun.
static_assert(offsetof(Siginfo, _sifields._timer._sigval) == 24);              // si_value.
static_assert(offsetof(Siginfo, _sifields._rt._sigval) == 24);                 // si_value.
static_assert(offsetof(Siginfo, _sifields._sigchld._status) == 24);            // si_status.
static_assert(offsetof(Siginfo, _sifields._sigchld._utime) == 32);             // si_utime.
static_assert(offsetof(Siginfo, _sifields._sigchld._stime) == 40);             // si_stime.
static_assert(offsetof(Siginfo, _sifields._sigfault._addr) == 16);             // si_addr.
static_assert(offsetof(Siginfo, _sifields._sigfault._addr_lsb) == 24);         // si_addr_lsb.
static_assert(offsetof(Siginfo, _sifields._sigfault._addr_bnd._lower) == 32);  // si_lower.
static_assert(offsetof(Siginfo, _sifields._sigfault._addr_pkey._pkey) == 32);  // si_pkey.
static_assert(offsetof(Siginfo, _sifields._sigpoll._band) == 16);              // si_band.
static_assert(offsetof(Siginfo, _sifields._sigpoll._fd) == 24);                // si_fd.
static_assert(offsetof(Siginfo, _sifields._sigsys._call_addr) == 16);          // si_call_addr.
static_assert(offsetof(Siginfo, _sifields._sigsys._syscall) == 24);            // si_syscall.
static_assert(offsetof(Siginfo, _sifields._sigsys._arch) == 28);               // si_arch.

// sigev_notify.
inline constexpr int kSIGEV_SIGNAL = 0;     // Notify via signal.
inline constexpr int kSIGEV_NONE = 1;       // No notification.
inline constexpr int kSIGEV_THREAD = 2;     // libc-level; the kernel sees SIGEV_THREAD_ID.
inline constexpr int kSIGEV_THREAD_ID = 4;  // Deliver to the thread _sigev_un._tid.
inline constexpr std::size_t kSIGEV_MAX_SIZE = 64;

// struct sigevent (timer_create, mq_notify). libc #defines sigev_notify_thread_id, so the union
// keeps the kernel's member names: sigev_notify_thread_id is _sigev_un._tid.
struct SigEvent {
  Sigval sigev_value;
  int32_t sigev_signo;
  int32_t sigev_notify;  // SIGEV_*.
  union {
    int32_t _pad[(kSIGEV_MAX_SIZE - 16) / 4];
    int32_t _tid;  // SIGEV_THREAD_ID.
    struct {
      uint64_t _function;   // Guest address.
      uint64_t _attribute;  // Guest address.
    } _sigev_thread;
  } _sigev_un;
};
static_assert(sizeof(SigEvent) == 64);
static_assert(offsetof(SigEvent, sigev_signo) == 8);
static_assert(offsetof(SigEvent, sigev_notify) == 12);
static_assert(offsetof(SigEvent, _sigev_un) == 16);
static_assert(offsetof(SigEvent, _sigev_un._tid) == 16);

// ---- The x86-64 signal frame. ----

// _fpx_sw_bytes: software-defined bytes in the unused tail of the fxsave area, describing the
// XSAVE extended state that follows it when magic1 == FP_XSTATE_MAGIC1.
inline constexpr uint32_t kFP_XSTATE_MAGIC1 = 0x46505853u;  // "FPXS".
inline constexpr uint32_t kFP_XSTATE_MAGIC2 = 0x46505845u;  // "FPXE", after the xstate area.
inline constexpr std::size_t kFP_XSTATE_MAGIC2_SIZE = sizeof(kFP_XSTATE_MAGIC2);
inline constexpr uint16_t kX86_FXSR_MAGIC = 0x0000;

struct FpxSwBytes {
  uint32_t magic1;         // FP_XSTATE_MAGIC1, or 0 for a legacy (fxsave-only) frame.
  uint32_t extended_size;  // Size of the whole fp area, including FP_XSTATE_MAGIC2.
  uint64_t xfeatures;      // XFEATURE_MASK_* present in the layout.
  uint32_t xstate_size;    // Actual XSAVE state size.
  uint32_t padding[7];
};
static_assert(sizeof(FpxSwBytes) == 48);
static_assert(offsetof(FpxSwBytes, extended_size) == 4);
static_assert(offsetof(FpxSwBytes, xfeatures) == 8);
static_assert(offsetof(FpxSwBytes, xstate_size) == 16);

// struct _fpstate_64: the 512-byte FXSAVE area.
struct FpState {
  uint16_t cwd;  // x87 control word.
  uint16_t swd;  // x87 status word.
  uint16_t twd;  // Abridged tag word (not the FSAVE one).
  uint16_t fop;
  uint64_t rip;
  uint64_t rdp;
  uint32_t mxcsr;
  uint32_t mxcsr_mask;
  uint32_t st_space[32];   // 8 x87 registers, 16 bytes each.
  uint32_t xmm_space[64];  // 16 XMM registers, 16 bytes each.
  uint32_t reserved2[12];
  union {
    uint32_t reserved3[12];
    FpxSwBytes sw_reserved;
  };
};
static_assert(sizeof(FpState) == 512);
static_assert(offsetof(FpState, rip) == 8);
static_assert(offsetof(FpState, rdp) == 16);
static_assert(offsetof(FpState, mxcsr) == 24);
static_assert(offsetof(FpState, mxcsr_mask) == 28);
static_assert(offsetof(FpState, st_space) == 32);
static_assert(offsetof(FpState, xmm_space) == 160);
static_assert(offsetof(FpState, reserved2) == 416);
static_assert(offsetof(FpState, sw_reserved) == 464);

// struct _header: the XSAVE header that follows the FXSAVE area.
struct XstateHeader {
  uint64_t xfeatures;  // XSTATE_BV.
  uint64_t reserved1[2];
  uint64_t reserved2[5];
};
static_assert(sizeof(XstateHeader) == 64);

// struct _ymmh_state: upper halves of YMM0..15.
struct YmmhState {
  uint32_t ymmh_space[64];
};
static_assert(sizeof(YmmhState) == 256);

// struct _xstate: the start of the XSAVE (standard format) area; further components follow at
// the offsets CPUID leaf 0xd reports.
struct Xstate {
  FpState fpstate;
  XstateHeader xstate_hdr;
  YmmhState ymmh;
};
static_assert(sizeof(Xstate) == 832);
static_assert(offsetof(Xstate, xstate_hdr) == 512);
static_assert(offsetof(Xstate, ymmh) == 576);

// XSAVE state-component bits (arch/x86/include/asm/fpu/types.h; architectural).
inline constexpr uint64_t kXFEATURE_MASK_FP = 1ULL << 0;
inline constexpr uint64_t kXFEATURE_MASK_SSE = 1ULL << 1;
inline constexpr uint64_t kXFEATURE_MASK_YMM = 1ULL << 2;
inline constexpr uint64_t kXFEATURE_MASK_BNDREGS = 1ULL << 3;
inline constexpr uint64_t kXFEATURE_MASK_BNDCSR = 1ULL << 4;
inline constexpr uint64_t kXFEATURE_MASK_OPMASK = 1ULL << 5;
inline constexpr uint64_t kXFEATURE_MASK_ZMM_Hi256 = 1ULL << 6;
inline constexpr uint64_t kXFEATURE_MASK_Hi16_ZMM = 1ULL << 7;
inline constexpr uint64_t kXFEATURE_MASK_PT = 1ULL << 8;
inline constexpr uint64_t kXFEATURE_MASK_PKRU = 1ULL << 9;
inline constexpr uint64_t kXFEATURE_MASK_FPSSE = kXFEATURE_MASK_FP | kXFEATURE_MASK_SSE;
inline constexpr uint64_t kXFEATURE_MASK_AVX512 =
    kXFEATURE_MASK_OPMASK | kXFEATURE_MASK_ZMM_Hi256 | kXFEATURE_MASK_Hi16_ZMM;

// struct sigcontext (x86-64). The general registers at signal time; fpstate points (in guest
// memory) at the FpState/Xstate area, or is 0.
struct SigContext {
  uint64_t r8;
  uint64_t r9;
  uint64_t r10;
  uint64_t r11;
  uint64_t r12;
  uint64_t r13;
  uint64_t r14;
  uint64_t r15;
  uint64_t rdi;
  uint64_t rsi;
  uint64_t rbp;
  uint64_t rbx;
  uint64_t rdx;
  uint64_t rax;
  uint64_t rcx;
  uint64_t rsp;
  uint64_t rip;
  uint64_t eflags;
  uint16_t cs;
  uint16_t gs;       // Always 0 since 2.5.64; never reuse.
  uint16_t fs;       // Always 0 since 2.5.64; never reuse.
  uint16_t ss;       // Valid if UC_SIGCONTEXT_SS (kernel alias: __pad0).
  uint64_t err;      // Page-fault error code.
  uint64_t trapno;   // Trap number (14 for #PF).
  uint64_t oldmask;  // The blocked mask (low word); uc_sigmask is authoritative.
  uint64_t cr2;      // Faulting address.
  uint64_t fpstate;  // Guest address of the FP state, 64-byte aligned; 0 if none.
  uint64_t reserved1[8];
};
static_assert(sizeof(SigContext) == 256);
static_assert(offsetof(SigContext, rdi) == 64);
static_assert(offsetof(SigContext, rax) == 104);
static_assert(offsetof(SigContext, rsp) == 120);
static_assert(offsetof(SigContext, rip) == 128);
static_assert(offsetof(SigContext, eflags) == 136);
static_assert(offsetof(SigContext, cs) == 144);
static_assert(offsetof(SigContext, ss) == 150);
static_assert(offsetof(SigContext, err) == 152);
static_assert(offsetof(SigContext, trapno) == 160);
static_assert(offsetof(SigContext, oldmask) == 168);
static_assert(offsetof(SigContext, cr2) == 176);
static_assert(offsetof(SigContext, fpstate) == 184);
static_assert(offsetof(SigContext, reserved1) == 192);

// The machine context of a ucontext is the kernel's struct sigcontext (glibc's mcontext_t has the
// same size and layout, with gregs[] in REG_* order).
using MContext = SigContext;

// uc_flags.
inline constexpr uint64_t kUC_FP_XSTATE = 0x1;          // fpstate holds XSAVE state.
inline constexpr uint64_t kUC_SIGCONTEXT_SS = 0x2;      // SigContext::ss is valid.
inline constexpr uint64_t kUC_STRICT_RESTORE_SS = 0x4;  // sigreturn restores ss as saved.

// struct ucontext (x86-64).
struct UContext {
  uint64_t uc_flags;  // UC_*.
  uint64_t uc_link;   // Guest address; unused by the kernel.
  StackT uc_stack;    // The alternate stack settings at delivery.
  SigContext uc_mcontext;
  SigSet uc_sigmask;  // The mask to restore on sigreturn.
};
static_assert(sizeof(UContext) == 304);
static_assert(offsetof(UContext, uc_link) == 8);
static_assert(offsetof(UContext, uc_stack) == 16);
static_assert(offsetof(UContext, uc_mcontext) == 40);
static_assert(offsetof(UContext, uc_sigmask) == 296);

// struct rt_sigframe (x86-64): what the kernel pushes on the (alternate) stack for a handler.
// On handler entry rsp points at pretcode, and rsp + 8 is 16-byte aligned; rdi = signo,
// rsi = &info, rdx = &uc. The FP state (uc.uc_mcontext.fpstate) lies above the frame, 64-byte
// aligned, with FP_XSTATE_MAGIC2 after it for XSAVE frames. rt_sigreturn finds the frame at
// rsp - 8 (the handler's ret popped pretcode).
struct RtSigframe {
  uint64_t pretcode;  // Return address: the SA_RESTORER trampoline.
  UContext uc;
  Siginfo info;
};
static_assert(sizeof(RtSigframe) == 440);
static_assert(offsetof(RtSigframe, uc) == 8);
static_assert(offsetof(RtSigframe, info) == 312);

// Stack geometry of signal delivery on x86-64.
inline constexpr uint64_t kRedZoneSize = 128;  // Skipped below the interrupted rsp.
inline constexpr uint64_t kFpStateAlign = 64;  // XSAVE area alignment.
inline constexpr uint64_t kFrameAlign = 16;    // (rsp + 8) % 16 == 0 at handler entry.

namespace internal {

inline constexpr std::array<std::string_view, kSIGRTMIN> kSignalNames = {
    "",          "SIGHUP",  "SIGINT",    "SIGQUIT", "SIGILL",   "SIGTRAP", "SIGABRT", "SIGBUS",
    "SIGFPE",    "SIGKILL", "SIGUSR1",   "SIGSEGV", "SIGUSR2",  "SIGPIPE", "SIGALRM", "SIGTERM",
    "SIGSTKFLT", "SIGCHLD", "SIGCONT",   "SIGSTOP", "SIGTSTP",  "SIGTTIN", "SIGTTOU", "SIGURG",
    "SIGXCPU",   "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO",   "SIGPWR",  "SIGSYS",
};

}  // namespace internal

// Returns the kernel's name for standard signal `sig` ("SIGKILL"), or an empty view for 0,
// real-time signals (32..64; print those as SIGRTMIN+n) and out-of-range values.
constexpr std::string_view SignalName(int sig) {
  if (sig <= 0 || sig >= kSIGRTMIN) return {};
  return internal::kSignalNames[static_cast<std::size_t>(sig)];
}

}  // namespace abi_linux

#endif  // ABI_LINUX_SIGNAL_H_
