// Directory notification, Linux's dnotify (fcntl(2) F_NOTIFY): a process
// asks for a signal when a directory changes: an entry is created (or
// renamed into it), deleted (or renamed away), renamed, has its attributes
// changed, is written or read; or the directory's own attributes change.
//
//   dnotify::Watch(dir_file, fd_table, abi_linux::kDN_CREATE, [=](int sig) { ... });
//   dnotify::Notify(parent_inode, abi_linux::kDN_CREATE);       // the VFS
//   dnotify::NotifyParent(file.path(), abi_linux::kDN_MODIFY);  // write(2)
//
// A watch belongs to an open directory and the fd table that asked (Linux's
// dn_filp and dn_owner): a later F_NOTIFY through the same pair adds events,
// closing an fd of it in that table removes it, and it dies with the open
// file. Without DN_MULTISHOT it fires once. Firing calls the watch's
// delivery function with the file's F_SETSIG signal (0: plain SIGIO), after
// the registry's lock is released.
//
// Changes are reported from the VFS (entries, attributes) and from the
// read/write syscalls (data); memory-mapped writes are not seen, as on
// Linux.
#ifndef SENTRY_VFS_DNOTIFY_H_
#define SENTRY_VFS_DNOTIFY_H_

#include <cstdint>
#include <functional>
#include <memory>

#include "sentry/vfs/vfs.h"

namespace sentry::vfs::dnotify {

// Receives the F_SETSIG signal of the watched file (0 for none).
using Deliver = std::function<void(int sig)>;

// Adds `events` (DN_* bits, DN_MULTISHOT included) to the watch of
// (file, owner), making it if there is none; a new delivery function
// replaces the old one (the fd number may have changed). `file` must be an
// open directory.
void Watch(const std::shared_ptr<FileDescription>& file, const void* owner, uint32_t events,
           Deliver deliver);
// Removes the watch of (file, owner), if there is one (F_NOTIFY with no
// events, and closing an fd of the file in the owner's table).
void Forget(const FileDescription* file, const void* owner);

// Reports `events` (DN_* bits) on directory `dir`: something happened to
// one of its entries, or to the directory itself.
void Notify(const Inode* dir, uint32_t events);
// Reports `events` on the directory holding `p` (a change of the file at
// p), and on p itself when it is a watched directory.
void NotifyParent(const Path& p, uint32_t events);

// Whether any watch exists: callers on hot paths test this first.
bool Active();

}  // namespace sentry::vfs::dnotify

#endif  // SENTRY_VFS_DNOTIFY_H_
