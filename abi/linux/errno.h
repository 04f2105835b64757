// Linux errno values, as returned (negated) by system calls.
//
// Mirrors include/uapi/asm-generic/errno-base.h, include/uapi/asm-generic/errno.h (x86-64 uses the
// generic values) and the kernel-internal restart codes of include/linux/errno.h, which the guest
// never sees but the sentry's syscall layer uses to request a restart.
//
// Usage:
//   return -abi_linux::kENOENT;
//   std::string_view name = abi_linux::ErrnoName(e);  // "ENOENT", or "" if unknown

#ifndef ABI_LINUX_ERRNO_H_
#define ABI_LINUX_ERRNO_H_

#include <array>
#include <cstddef>
#include <string_view>


namespace abi_linux {

inline constexpr int kEPERM = 1;              // Operation not permitted
inline constexpr int kENOENT = 2;             // No such file or directory
inline constexpr int kESRCH = 3;              // No such process
inline constexpr int kEINTR = 4;              // Interrupted system call
inline constexpr int kEIO = 5;                // I/O error
inline constexpr int kENXIO = 6;              // No such device or address
inline constexpr int kE2BIG = 7;              // Argument list too long
inline constexpr int kENOEXEC = 8;            // Exec format error
inline constexpr int kEBADF = 9;              // Bad file number
inline constexpr int kECHILD = 10;            // No child processes
inline constexpr int kEAGAIN = 11;            // Try again
inline constexpr int kENOMEM = 12;            // Out of memory
inline constexpr int kEACCES = 13;            // Permission denied
inline constexpr int kEFAULT = 14;            // Bad address
inline constexpr int kENOTBLK = 15;           // Block device required
inline constexpr int kEBUSY = 16;             // Device or resource busy
inline constexpr int kEEXIST = 17;            // File exists
inline constexpr int kEXDEV = 18;             // Cross-device link
inline constexpr int kENODEV = 19;            // No such device
inline constexpr int kENOTDIR = 20;           // Not a directory
inline constexpr int kEISDIR = 21;            // Is a directory
inline constexpr int kEINVAL = 22;            // Invalid argument
inline constexpr int kENFILE = 23;            // File table overflow
inline constexpr int kEMFILE = 24;            // Too many open files
inline constexpr int kENOTTY = 25;            // Not a typewriter
inline constexpr int kETXTBSY = 26;           // Text file busy
inline constexpr int kEFBIG = 27;             // File too large
inline constexpr int kENOSPC = 28;            // No space left on device
inline constexpr int kESPIPE = 29;            // Illegal seek
inline constexpr int kEROFS = 30;             // Read-only file system
inline constexpr int kEMLINK = 31;            // Too many links
inline constexpr int kEPIPE = 32;             // Broken pipe
inline constexpr int kEDOM = 33;              // Math argument out of domain of func
inline constexpr int kERANGE = 34;            // Math result not representable
inline constexpr int kEDEADLK = 35;           // Resource deadlock would occur
inline constexpr int kENAMETOOLONG = 36;      // File name too long
inline constexpr int kENOLCK = 37;            // No record locks available
inline constexpr int kENOSYS = 38;            // Invalid system call number
inline constexpr int kENOTEMPTY = 39;         // Directory not empty
inline constexpr int kELOOP = 40;             // Too many symbolic links encountered
inline constexpr int kENOMSG = 42;            // No message of desired type
inline constexpr int kEIDRM = 43;             // Identifier removed
inline constexpr int kECHRNG = 44;            // Channel number out of range
inline constexpr int kEL2NSYNC = 45;          // Level 2 not synchronized
inline constexpr int kEL3HLT = 46;            // Level 3 halted
inline constexpr int kEL3RST = 47;            // Level 3 reset
inline constexpr int kELNRNG = 48;            // Link number out of range
inline constexpr int kEUNATCH = 49;           // Protocol driver not attached
inline constexpr int kENOCSI = 50;            // No CSI structure available
inline constexpr int kEL2HLT = 51;            // Level 2 halted
inline constexpr int kEBADE = 52;             // Invalid exchange
inline constexpr int kEBADR = 53;             // Invalid request descriptor
inline constexpr int kEXFULL = 54;            // Exchange full
inline constexpr int kENOANO = 55;            // No anode
inline constexpr int kEBADRQC = 56;           // Invalid request code
inline constexpr int kEBADSLT = 57;           // Invalid slot
inline constexpr int kEBFONT = 59;            // Bad font file format
inline constexpr int kENOSTR = 60;            // Device not a stream
inline constexpr int kENODATA = 61;           // No data available
inline constexpr int kETIME = 62;             // Timer expired
inline constexpr int kENOSR = 63;             // Out of streams resources
inline constexpr int kENONET = 64;            // Machine is not on the network
inline constexpr int kENOPKG = 65;            // Package not installed
inline constexpr int kEREMOTE = 66;           // Object is remote
inline constexpr int kENOLINK = 67;           // Link has been severed
inline constexpr int kEADV = 68;              // Advertise error
inline constexpr int kESRMNT = 69;            // Srmount error
inline constexpr int kECOMM = 70;             // Communication error on send
inline constexpr int kEPROTO = 71;            // Protocol error
inline constexpr int kEMULTIHOP = 72;         // Multihop attempted
inline constexpr int kEDOTDOT = 73;           // RFS specific error
inline constexpr int kEBADMSG = 74;           // Not a data message
inline constexpr int kEOVERFLOW = 75;         // Value too large for defined data type
inline constexpr int kENOTUNIQ = 76;          // Name not unique on network
inline constexpr int kEBADFD = 77;            // File descriptor in bad state
inline constexpr int kEREMCHG = 78;           // Remote address changed
inline constexpr int kELIBACC = 79;           // Can not access a needed shared library
inline constexpr int kELIBBAD = 80;           // Accessing a corrupted shared library
inline constexpr int kELIBSCN = 81;           // .lib section in a.out corrupted
inline constexpr int kELIBMAX = 82;           // Attempting to link in too many shared libraries
inline constexpr int kELIBEXEC = 83;          // Cannot exec a shared library directly
inline constexpr int kEILSEQ = 84;            // Illegal byte sequence
inline constexpr int kERESTART = 85;          // Interrupted system call should be restarted
inline constexpr int kESTRPIPE = 86;          // Streams pipe error
inline constexpr int kEUSERS = 87;            // Too many users
inline constexpr int kENOTSOCK = 88;          // Socket operation on non-socket
inline constexpr int kEDESTADDRREQ = 89;      // Destination address required
inline constexpr int kEMSGSIZE = 90;          // Message too long
inline constexpr int kEPROTOTYPE = 91;        // Protocol wrong type for socket
inline constexpr int kENOPROTOOPT = 92;       // Protocol not available
inline constexpr int kEPROTONOSUPPORT = 93;   // Protocol not supported
inline constexpr int kESOCKTNOSUPPORT = 94;   // Socket type not supported
inline constexpr int kEOPNOTSUPP = 95;        // Operation not supported on transport endpoint
inline constexpr int kEPFNOSUPPORT = 96;      // Protocol family not supported
inline constexpr int kEAFNOSUPPORT = 97;      // Address family not supported by protocol
inline constexpr int kEADDRINUSE = 98;        // Address already in use
inline constexpr int kEADDRNOTAVAIL = 99;     // Cannot assign requested address
inline constexpr int kENETDOWN = 100;         // Network is down
inline constexpr int kENETUNREACH = 101;      // Network is unreachable
inline constexpr int kENETRESET = 102;        // Network dropped connection because of reset
inline constexpr int kECONNABORTED = 103;     // Software caused connection abort
inline constexpr int kECONNRESET = 104;       // Connection reset by peer
inline constexpr int kENOBUFS = 105;          // No buffer space available
inline constexpr int kEISCONN = 106;          // Transport endpoint is already connected
inline constexpr int kENOTCONN = 107;         // Transport endpoint is not connected
inline constexpr int kESHUTDOWN = 108;        // Cannot send after transport endpoint shutdown
inline constexpr int kETOOMANYREFS = 109;     // Too many references: cannot splice
inline constexpr int kETIMEDOUT = 110;        // Connection timed out
inline constexpr int kECONNREFUSED = 111;     // Connection refused
inline constexpr int kEHOSTDOWN = 112;        // Host is down
inline constexpr int kEHOSTUNREACH = 113;     // No route to host
inline constexpr int kEALREADY = 114;         // Operation already in progress
inline constexpr int kEINPROGRESS = 115;      // Operation now in progress
inline constexpr int kESTALE = 116;           // Stale file handle
inline constexpr int kEUCLEAN = 117;          // Structure needs cleaning
inline constexpr int kENOTNAM = 118;          // Not a XENIX named type file
inline constexpr int kENAVAIL = 119;          // No XENIX semaphores available
inline constexpr int kEISNAM = 120;           // Is a named type file
inline constexpr int kEREMOTEIO = 121;        // Remote I/O error
inline constexpr int kEDQUOT = 122;           // Quota exceeded
inline constexpr int kENOMEDIUM = 123;        // No medium found
inline constexpr int kEMEDIUMTYPE = 124;      // Wrong medium type
inline constexpr int kECANCELED = 125;        // Operation Canceled
inline constexpr int kENOKEY = 126;           // Required key not available
inline constexpr int kEKEYEXPIRED = 127;      // Key has expired
inline constexpr int kEKEYREVOKED = 128;      // Key has been revoked
inline constexpr int kEKEYREJECTED = 129;     // Key was rejected by service
inline constexpr int kEOWNERDEAD = 130;       // Owner died
inline constexpr int kENOTRECOVERABLE = 131;  // State not recoverable
inline constexpr int kERFKILL = 132;          // Operation not possible due to RF-kill
inline constexpr int kEHWPOISON = 133;        // Memory page has hardware error

// Aliases.
inline constexpr int kEWOULDBLOCK = kEAGAIN;
inline constexpr int kEDEADLOCK = kEDEADLK;

// Highest errno value the kernel assigns to userspace-visible errors.
inline constexpr int kMaxUserErrno = kEHWPOISON;

// Kernel-internal codes (include/linux/errno.h). A syscall returning one of these asks the
// syscall-exit path to restart the call; the guest must never observe them. If a signal handler
// runs first: ERESTARTSYS restarts only when the handler has SA_RESTART (else EINTR),
// ERESTARTNOINTR always restarts, ERESTARTNOHAND and ERESTART_RESTARTBLOCK become EINTR.
inline constexpr int kERESTARTSYS = 512;
inline constexpr int kERESTARTNOINTR = 513;
inline constexpr int kERESTARTNOHAND = 514;         // Restart only if no handler ran.
inline constexpr int kENOIOCTLCMD = 515;            // No ioctl command (becomes ENOTTY).
inline constexpr int kERESTART_RESTARTBLOCK = 516;  // Restart via the restart_syscall syscall.

// A syscall return value in [-kMaxErrno, -1] is an error (include/linux/err.h MAX_ERRNO).
inline constexpr int kMaxErrno = 4095;

namespace internal {

inline constexpr std::array<std::string_view, kMaxUserErrno + 1> kErrnoNames = {
    "",                 // 0
    "EPERM",            // 1
    "ENOENT",           // 2
    "ESRCH",            // 3
    "EINTR",            // 4
    "EIO",              // 5
    "ENXIO",            // 6
    "E2BIG",            // 7
    "ENOEXEC",          // 8
    "EBADF",            // 9
    "ECHILD",           // 10
    "EAGAIN",           // 11
    "ENOMEM",           // 12
    "EACCES",           // 13
    "EFAULT",           // 14
    "ENOTBLK",          // 15
    "EBUSY",            // 16
    "EEXIST",           // 17
    "EXDEV",            // 18
    "ENODEV",           // 19
    "ENOTDIR",          // 20
    "EISDIR",           // 21
    "EINVAL",           // 22
    "ENFILE",           // 23
    "EMFILE",           // 24
    "ENOTTY",           // 25
    "ETXTBSY",          // 26
    "EFBIG",            // 27
    "ENOSPC",           // 28
    "ESPIPE",           // 29
    "EROFS",            // 30
    "EMLINK",           // 31
    "EPIPE",            // 32
    "EDOM",             // 33
    "ERANGE",           // 34
    "EDEADLK",          // 35
    "ENAMETOOLONG",     // 36
    "ENOLCK",           // 37
    "ENOSYS",           // 38
    "ENOTEMPTY",        // 39
    "ELOOP",            // 40
    "",                 // 41
    "ENOMSG",           // 42
    "EIDRM",            // 43
    "ECHRNG",           // 44
    "EL2NSYNC",         // 45
    "EL3HLT",           // 46
    "EL3RST",           // 47
    "ELNRNG",           // 48
    "EUNATCH",          // 49
    "ENOCSI",           // 50
    "EL2HLT",           // 51
    "EBADE",            // 52
    "EBADR",            // 53
    "EXFULL",           // 54
    "ENOANO",           // 55
    "EBADRQC",          // 56
    "EBADSLT",          // 57
    "",                 // 58
    "EBFONT",           // 59
    "ENOSTR",           // 60
    "ENODATA",          // 61
    "ETIME",            // 62
    "ENOSR",            // 63
    "ENONET",           // 64
    "ENOPKG",           // 65
    "EREMOTE",          // 66
    "ENOLINK",          // 67
    "EADV",             // 68
    "ESRMNT",           // 69
    "ECOMM",            // 70
    "EPROTO",           // 71
    "EMULTIHOP",        // 72
    "EDOTDOT",          // 73
    "EBADMSG",          // 74
    "EOVERFLOW",        // 75
    "ENOTUNIQ",         // 76
    "EBADFD",           // 77
    "EREMCHG",          // 78
    "ELIBACC",          // 79
    "ELIBBAD",          // 80
    "ELIBSCN",          // 81
    "ELIBMAX",          // 82
    "ELIBEXEC",         // 83
    "EILSEQ",           // 84
    "ERESTART",         // 85
    "ESTRPIPE",         // 86
    "EUSERS",           // 87
    "ENOTSOCK",         // 88
    "EDESTADDRREQ",     // 89
    "EMSGSIZE",         // 90
    "EPROTOTYPE",       // 91
    "ENOPROTOOPT",      // 92
    "EPROTONOSUPPORT",  // 93
    "ESOCKTNOSUPPORT",  // 94
    "EOPNOTSUPP",       // 95
    "EPFNOSUPPORT",     // 96
    "EAFNOSUPPORT",     // 97
    "EADDRINUSE",       // 98
    "EADDRNOTAVAIL",    // 99
    "ENETDOWN",         // 100
    "ENETUNREACH",      // 101
    "ENETRESET",        // 102
    "ECONNABORTED",     // 103
    "ECONNRESET",       // 104
    "ENOBUFS",          // 105
    "EISCONN",          // 106
    "ENOTCONN",         // 107
    "ESHUTDOWN",        // 108
    "ETOOMANYREFS",     // 109
    "ETIMEDOUT",        // 110
    "ECONNREFUSED",     // 111
    "EHOSTDOWN",        // 112
    "EHOSTUNREACH",     // 113
    "EALREADY",         // 114
    "EINPROGRESS",      // 115
    "ESTALE",           // 116
    "EUCLEAN",          // 117
    "ENOTNAM",          // 118
    "ENAVAIL",          // 119
    "EISNAM",           // 120
    "EREMOTEIO",        // 121
    "EDQUOT",           // 122
    "ENOMEDIUM",        // 123
    "EMEDIUMTYPE",      // 124
    "ECANCELED",        // 125
    "ENOKEY",           // 126
    "EKEYEXPIRED",      // 127
    "EKEYREVOKED",      // 128
    "EKEYREJECTED",     // 129
    "EOWNERDEAD",       // 130
    "ENOTRECOVERABLE",  // 131
    "ERFKILL",          // 132
    "EHWPOISON",        // 133
};

inline constexpr std::array<std::string_view, 5> kRestartNames = {
    "ERESTARTSYS", "ERESTARTNOINTR", "ERESTARTNOHAND", "ENOIOCTLCMD", "ERESTART_RESTARTBLOCK",
};

}  // namespace internal

// Returns the kernel's name for errno `e` (positive: ErrnoName(kEPERM) == "EPERM"), including the
// kernel-internal restart codes 512..516; empty for 0, negatives and unassigned values. Aliases
// map to their primary name (EWOULDBLOCK -> "EAGAIN", EDEADLOCK -> "EDEADLK").
constexpr std::string_view ErrnoName(int e) {
  if (e > 0 && e <= kMaxUserErrno) return internal::kErrnoNames[static_cast<std::size_t>(e)];
  if (e >= kERESTARTSYS && e <= kERESTART_RESTARTBLOCK) {
    return internal::kRestartNames[static_cast<std::size_t>(e - kERESTARTSYS)];
  }
  return {};
}

}  // namespace abi_linux

#endif  // ABI_LINUX_ERRNO_H_
