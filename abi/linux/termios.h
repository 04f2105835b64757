// Terminals: tty ioctls, struct termios/termios2/termio, window size, modem lines, and the
// termios flag bits.
//
// Mirrors include/uapi/asm-generic/ioctls.h, include/uapi/asm-generic/termbits.h,
// include/uapi/asm-generic/termbits-common.h, include/uapi/asm-generic/termios.h (x86-64 uses the
// generic definitions) and the defaults of tty_std_termios (drivers/tty/tty_io.c). This is the
// kernel's struct termios (36 bytes), not glibc's (60 bytes, with speeds).
//
// Usage:
//   case abi_linux::kTCGETS: { abi_linux::Termios t = ...; CopyOut(arg, t); }
//   bool canonical = t.c_lflag & abi_linux::kICANON;

#ifndef ABI_LINUX_TERMIOS_H_
#define ABI_LINUX_TERMIOS_H_

#include <cstddef>
#include <cstdint>

#include "abi/linux/ioctl.h"

namespace abi_linux {

inline constexpr int kNCCS = 19;  // struct termios.
inline constexpr int kNCC = 8;    // struct termio.

struct Termios {
  uint32_t c_iflag;     // Input mode flags.
  uint32_t c_oflag;     // Output mode flags.
  uint32_t c_cflag;     // Control mode flags.
  uint32_t c_lflag;     // Local mode flags.
  uint8_t c_line;       // Line discipline.
  uint8_t c_cc[kNCCS];  // Control characters, indexed by V*.
};
static_assert(sizeof(Termios) == 36);
static_assert(offsetof(Termios, c_oflag) == 4);
static_assert(offsetof(Termios, c_cflag) == 8);
static_assert(offsetof(Termios, c_lflag) == 12);
static_assert(offsetof(Termios, c_line) == 16);
static_assert(offsetof(Termios, c_cc) == 17);

// struct termios2 (TCGETS2/TCSETS2: arbitrary baud rates with BOTHER).
struct Termios2 {
  uint32_t c_iflag;
  uint32_t c_oflag;
  uint32_t c_cflag;
  uint32_t c_lflag;
  uint8_t c_line;
  uint8_t c_cc[kNCCS];
  uint32_t c_ispeed;
  uint32_t c_ospeed;
};
static_assert(sizeof(Termios2) == 44);
static_assert(offsetof(Termios2, c_ispeed) == 36);
static_assert(offsetof(Termios2, c_ospeed) == 40);

// struct termio (SysV TCGETA/TCSETA*).
struct Termio {
  uint16_t c_iflag;
  uint16_t c_oflag;
  uint16_t c_cflag;
  uint16_t c_lflag;
  uint8_t c_line;
  uint8_t c_cc[kNCC];
};
static_assert(sizeof(Termio) == 18);
static_assert(offsetof(Termio, c_line) == 8);
static_assert(offsetof(Termio, c_cc) == 9);

struct Winsize {
  uint16_t ws_row;
  uint16_t ws_col;
  uint16_t ws_xpixel;
  uint16_t ws_ypixel;
};
static_assert(sizeof(Winsize) == 8);
static_assert(offsetof(Winsize, ws_col) == 2);
static_assert(offsetof(Winsize, ws_xpixel) == 4);
static_assert(offsetof(Winsize, ws_ypixel) == 6);

// tty ioctls.
inline constexpr uint32_t kTCGETS = 0x5401;
inline constexpr uint32_t kTCSETS = 0x5402;
inline constexpr uint32_t kTCSETSW = 0x5403;
inline constexpr uint32_t kTCSETSF = 0x5404;
inline constexpr uint32_t kTCGETA = 0x5405;
inline constexpr uint32_t kTCSETA = 0x5406;
inline constexpr uint32_t kTCSETAW = 0x5407;
inline constexpr uint32_t kTCSETAF = 0x5408;
inline constexpr uint32_t kTCSBRK = 0x5409;
inline constexpr uint32_t kTCXONC = 0x540A;
inline constexpr uint32_t kTCFLSH = 0x540B;
inline constexpr uint32_t kTIOCEXCL = 0x540C;
inline constexpr uint32_t kTIOCNXCL = 0x540D;
inline constexpr uint32_t kTIOCSCTTY = 0x540E;
inline constexpr uint32_t kTIOCGPGRP = 0x540F;
inline constexpr uint32_t kTIOCSPGRP = 0x5410;
inline constexpr uint32_t kTIOCOUTQ = 0x5411;
inline constexpr uint32_t kTIOCSTI = 0x5412;
inline constexpr uint32_t kTIOCGWINSZ = 0x5413;
inline constexpr uint32_t kTIOCSWINSZ = 0x5414;
inline constexpr uint32_t kTIOCMGET = 0x5415;
inline constexpr uint32_t kTIOCMBIS = 0x5416;
inline constexpr uint32_t kTIOCMBIC = 0x5417;
inline constexpr uint32_t kTIOCMSET = 0x5418;
inline constexpr uint32_t kTIOCGSOFTCAR = 0x5419;
inline constexpr uint32_t kTIOCSSOFTCAR = 0x541A;
inline constexpr uint32_t kFIONREAD = 0x541B;
inline constexpr uint32_t kTIOCINQ = kFIONREAD;
inline constexpr uint32_t kTIOCLINUX = 0x541C;
inline constexpr uint32_t kTIOCCONS = 0x541D;
inline constexpr uint32_t kTIOCGSERIAL = 0x541E;
inline constexpr uint32_t kTIOCSSERIAL = 0x541F;
inline constexpr uint32_t kTIOCPKT = 0x5420;
inline constexpr uint32_t kFIONBIO = 0x5421;
inline constexpr uint32_t kTIOCNOTTY = 0x5422;
inline constexpr uint32_t kTIOCSETD = 0x5423;
inline constexpr uint32_t kTIOCGETD = 0x5424;
inline constexpr uint32_t kTCSBRKP = 0x5425;
inline constexpr uint32_t kTIOCSBRK = 0x5427;
inline constexpr uint32_t kTIOCCBRK = 0x5428;
inline constexpr uint32_t kTIOCGSID = 0x5429;
inline constexpr uint32_t kTCGETS2 = IOR('T', 0x2A, sizeof(Termios2));
inline constexpr uint32_t kTCSETS2 = IOW('T', 0x2B, sizeof(Termios2));
inline constexpr uint32_t kTCSETSW2 = IOW('T', 0x2C, sizeof(Termios2));
inline constexpr uint32_t kTCSETSF2 = IOW('T', 0x2D, sizeof(Termios2));
inline constexpr uint32_t kTIOCGRS485 = 0x542E;
inline constexpr uint32_t kTIOCSRS485 = 0x542F;
inline constexpr uint32_t kTIOCGPTN = IOR('T', 0x30, sizeof(uint32_t));   // Get pty number.
inline constexpr uint32_t kTIOCSPTLCK = IOW('T', 0x31, sizeof(int32_t));  // Lock/unlock pty.
inline constexpr uint32_t kTIOCGDEV = IOR('T', 0x32, sizeof(uint32_t));
inline constexpr uint32_t kTCGETX = 0x5432;
inline constexpr uint32_t kTCSETX = 0x5433;
inline constexpr uint32_t kTCSETXF = 0x5434;
inline constexpr uint32_t kTCSETXW = 0x5435;
inline constexpr uint32_t kTIOCSIG = IOW('T', 0x36, sizeof(int32_t));  // pty: send a signal.
inline constexpr uint32_t kTIOCVHANGUP = 0x5437;
inline constexpr uint32_t kTIOCGPKT = IOR('T', 0x38, sizeof(int32_t));
inline constexpr uint32_t kTIOCGPTLCK = IOR('T', 0x39, sizeof(int32_t));
inline constexpr uint32_t kTIOCGEXCL = IOR('T', 0x40, sizeof(int32_t));
inline constexpr uint32_t kTIOCGPTPEER = IO('T', 0x41);  // Open the pty's peer (replica).
inline constexpr uint32_t kFIONCLEX = 0x5450;
inline constexpr uint32_t kFIOCLEX = 0x5451;
inline constexpr uint32_t kFIOASYNC = 0x5452;
inline constexpr uint32_t kTIOCSERCONFIG = 0x5453;
inline constexpr uint32_t kTIOCSERGWILD = 0x5454;
inline constexpr uint32_t kTIOCSERSWILD = 0x5455;
inline constexpr uint32_t kTIOCGLCKTRMIOS = 0x5456;
inline constexpr uint32_t kTIOCSLCKTRMIOS = 0x5457;
inline constexpr uint32_t kTIOCSERGSTRUCT = 0x5458;
inline constexpr uint32_t kTIOCSERGETLSR = 0x5459;
inline constexpr uint32_t kTIOCSERGETMULTI = 0x545A;
inline constexpr uint32_t kTIOCSERSETMULTI = 0x545B;
inline constexpr uint32_t kTIOCMIWAIT = 0x545C;
inline constexpr uint32_t kTIOCGICOUNT = 0x545D;
inline constexpr uint32_t kFIOQSIZE = 0x5460;

// TIOCPKT packet-mode status bytes.
inline constexpr uint8_t kTIOCPKT_DATA = 0;
inline constexpr uint8_t kTIOCPKT_FLUSHREAD = 1;
inline constexpr uint8_t kTIOCPKT_FLUSHWRITE = 2;
inline constexpr uint8_t kTIOCPKT_STOP = 4;
inline constexpr uint8_t kTIOCPKT_START = 8;
inline constexpr uint8_t kTIOCPKT_NOSTOP = 16;
inline constexpr uint8_t kTIOCPKT_DOSTOP = 32;
inline constexpr uint8_t kTIOCPKT_IOCTL = 64;

// Modem lines (TIOCMGET/TIOCMSET).
inline constexpr int kTIOCM_LE = 0x001;
inline constexpr int kTIOCM_DTR = 0x002;
inline constexpr int kTIOCM_RTS = 0x004;
inline constexpr int kTIOCM_ST = 0x008;
inline constexpr int kTIOCM_SR = 0x010;
inline constexpr int kTIOCM_CTS = 0x020;
inline constexpr int kTIOCM_CAR = 0x040;
inline constexpr int kTIOCM_RNG = 0x080;
inline constexpr int kTIOCM_DSR = 0x100;
inline constexpr int kTIOCM_CD = kTIOCM_CAR;
inline constexpr int kTIOCM_RI = kTIOCM_RNG;

// Line disciplines (TIOCSETD).
inline constexpr int kN_TTY = 0;

// c_cc indices.
inline constexpr int kVINTR = 0;
inline constexpr int kVQUIT = 1;
inline constexpr int kVERASE = 2;
inline constexpr int kVKILL = 3;
inline constexpr int kVEOF = 4;
inline constexpr int kVTIME = 5;
inline constexpr int kVMIN = 6;
inline constexpr int kVSWTC = 7;
inline constexpr int kVSTART = 8;
inline constexpr int kVSTOP = 9;
inline constexpr int kVSUSP = 10;
inline constexpr int kVEOL = 11;
inline constexpr int kVREPRINT = 12;
inline constexpr int kVDISCARD = 13;
inline constexpr int kVWERASE = 14;
inline constexpr int kVLNEXT = 15;
inline constexpr int kVEOL2 = 16;

// c_iflag bits.
inline constexpr uint32_t kIGNBRK = 0x001;
inline constexpr uint32_t kBRKINT = 0x002;
inline constexpr uint32_t kIGNPAR = 0x004;
inline constexpr uint32_t kPARMRK = 0x008;
inline constexpr uint32_t kINPCK = 0x010;
inline constexpr uint32_t kISTRIP = 0x020;
inline constexpr uint32_t kINLCR = 0x040;
inline constexpr uint32_t kIGNCR = 0x080;
inline constexpr uint32_t kICRNL = 0x100;
inline constexpr uint32_t kIUCLC = 0x0200;
inline constexpr uint32_t kIXON = 0x0400;
inline constexpr uint32_t kIXANY = 0x800;
inline constexpr uint32_t kIXOFF = 0x1000;
inline constexpr uint32_t kIMAXBEL = 0x2000;
inline constexpr uint32_t kIUTF8 = 0x4000;

// c_oflag bits.
inline constexpr uint32_t kOPOST = 0x01;
inline constexpr uint32_t kOLCUC = 0x00002;
inline constexpr uint32_t kONLCR = 0x00004;
inline constexpr uint32_t kOCRNL = 0x08;
inline constexpr uint32_t kONOCR = 0x10;
inline constexpr uint32_t kONLRET = 0x20;
inline constexpr uint32_t kOFILL = 0x40;
inline constexpr uint32_t kOFDEL = 0x80;
inline constexpr uint32_t kNLDLY = 0x00100;
inline constexpr uint32_t kNL0 = 0x00000;
inline constexpr uint32_t kNL1 = 0x00100;
inline constexpr uint32_t kCRDLY = 0x00600;
inline constexpr uint32_t kCR0 = 0x00000;
inline constexpr uint32_t kCR1 = 0x00200;
inline constexpr uint32_t kCR2 = 0x00400;
inline constexpr uint32_t kCR3 = 0x00600;
inline constexpr uint32_t kTABDLY = 0x01800;
inline constexpr uint32_t kTAB0 = 0x00000;
inline constexpr uint32_t kTAB1 = 0x00800;
inline constexpr uint32_t kTAB2 = 0x01000;
inline constexpr uint32_t kTAB3 = 0x01800;
inline constexpr uint32_t kXTABS = 0x01800;
inline constexpr uint32_t kBSDLY = 0x02000;
inline constexpr uint32_t kBS0 = 0x00000;
inline constexpr uint32_t kBS1 = 0x02000;
inline constexpr uint32_t kVTDLY = 0x04000;
inline constexpr uint32_t kVT0 = 0x00000;
inline constexpr uint32_t kVT1 = 0x04000;
inline constexpr uint32_t kFFDLY = 0x08000;
inline constexpr uint32_t kFF0 = 0x00000;
inline constexpr uint32_t kFF1 = 0x08000;

// c_cflag bits.
inline constexpr uint32_t kCBAUD = 0x0000100f;
inline constexpr uint32_t kCSIZE = 0x00000030;
inline constexpr uint32_t kCS5 = 0x00000000;
inline constexpr uint32_t kCS6 = 0x00000010;
inline constexpr uint32_t kCS7 = 0x00000020;
inline constexpr uint32_t kCS8 = 0x00000030;
inline constexpr uint32_t kCSTOPB = 0x00000040;
inline constexpr uint32_t kCREAD = 0x00000080;
inline constexpr uint32_t kPARENB = 0x00000100;
inline constexpr uint32_t kPARODD = 0x00000200;
inline constexpr uint32_t kHUPCL = 0x00000400;
inline constexpr uint32_t kCLOCAL = 0x00000800;
inline constexpr uint32_t kCBAUDEX = 0x00001000;
inline constexpr uint32_t kBOTHER = 0x00001000;
inline constexpr uint32_t kCIBAUD = 0x100f0000;
inline constexpr uint32_t kADDRB = 0x20000000;
inline constexpr uint32_t kCMSPAR = 0x40000000;
inline constexpr uint32_t kCRTSCTS = 0x80000000;
inline constexpr uint32_t kIBSHIFT = 16;  // From CBAUD to CIBAUD.

// Baud rates (c_cflag & CBAUD).
inline constexpr uint32_t kB0 = 0x00000000;
inline constexpr uint32_t kB50 = 0x00000001;
inline constexpr uint32_t kB75 = 0x00000002;
inline constexpr uint32_t kB110 = 0x00000003;
inline constexpr uint32_t kB134 = 0x00000004;
inline constexpr uint32_t kB150 = 0x00000005;
inline constexpr uint32_t kB200 = 0x00000006;
inline constexpr uint32_t kB300 = 0x00000007;
inline constexpr uint32_t kB600 = 0x00000008;
inline constexpr uint32_t kB1200 = 0x00000009;
inline constexpr uint32_t kB1800 = 0x0000000a;
inline constexpr uint32_t kB2400 = 0x0000000b;
inline constexpr uint32_t kB4800 = 0x0000000c;
inline constexpr uint32_t kB9600 = 0x0000000d;
inline constexpr uint32_t kB19200 = 0x0000000e;
inline constexpr uint32_t kB38400 = 0x0000000f;
inline constexpr uint32_t kB57600 = 0x00001001;
inline constexpr uint32_t kB115200 = 0x00001002;
inline constexpr uint32_t kB230400 = 0x00001003;
inline constexpr uint32_t kB460800 = 0x00001004;
inline constexpr uint32_t kB500000 = 0x00001005;
inline constexpr uint32_t kB576000 = 0x00001006;
inline constexpr uint32_t kB921600 = 0x00001007;
inline constexpr uint32_t kB1000000 = 0x00001008;
inline constexpr uint32_t kB1152000 = 0x00001009;
inline constexpr uint32_t kB1500000 = 0x0000100a;
inline constexpr uint32_t kB2000000 = 0x0000100b;
inline constexpr uint32_t kB2500000 = 0x0000100c;
inline constexpr uint32_t kB3000000 = 0x0000100d;
inline constexpr uint32_t kB3500000 = 0x0000100e;
inline constexpr uint32_t kB4000000 = 0x0000100f;

// c_lflag bits.
inline constexpr uint32_t kISIG = 0x00001;
inline constexpr uint32_t kICANON = 0x00002;
inline constexpr uint32_t kXCASE = 0x00004;
inline constexpr uint32_t kECHO = 0x00008;
inline constexpr uint32_t kECHOE = 0x00010;
inline constexpr uint32_t kECHOK = 0x00020;
inline constexpr uint32_t kECHONL = 0x00040;
inline constexpr uint32_t kNOFLSH = 0x00080;
inline constexpr uint32_t kTOSTOP = 0x00100;
inline constexpr uint32_t kECHOCTL = 0x00200;
inline constexpr uint32_t kECHOPRT = 0x00400;
inline constexpr uint32_t kECHOKE = 0x00800;
inline constexpr uint32_t kFLUSHO = 0x01000;
inline constexpr uint32_t kPENDIN = 0x04000;
inline constexpr uint32_t kIEXTEN = 0x08000;
inline constexpr uint32_t kEXTPROC = 0x10000;

// TCXONC arguments.
inline constexpr int kTCOOFF = 0;
inline constexpr int kTCOON = 1;
inline constexpr int kTCIOFF = 2;
inline constexpr int kTCION = 3;

// TCFLSH arguments.
inline constexpr int kTCIFLUSH = 0;
inline constexpr int kTCOFLUSH = 1;
inline constexpr int kTCIOFLUSH = 2;

// tcsetattr optional actions (libc maps them onto TCSETS/TCSETSW/TCSETSF).
inline constexpr int kTCSANOW = 0;
inline constexpr int kTCSADRAIN = 1;
inline constexpr int kTCSAFLUSH = 2;

// The settings a new tty starts with (tty_std_termios). The control characters are INIT_C_CC:
// ^C ^\ DEL ^U ^D, VTIME 0, VMIN 1, VSWTC 0, ^Q ^S ^Z, VEOL 0, ^R ^O ^W ^V, VEOL2 0.
inline constexpr Termios kTtyStdTermios = {
    .c_iflag = kICRNL | kIXON,
    .c_oflag = kOPOST | kONLCR,
    .c_cflag = kB38400 | kCS8 | kCREAD | kHUPCL,
    .c_lflag = kISIG | kICANON | kECHO | kECHOE | kECHOK | kECHOCTL | kECHOKE | kIEXTEN,
    .c_line = kN_TTY,
    .c_cc = {003, 034, 0177, 025, 004, 0, 1, 0, 021, 023, 032, 0, 022, 017, 027, 026, 0, 0, 0},
};

}  // namespace abi_linux

#endif  // ABI_LINUX_TERMIOS_H_
