#include "sentry/vfs/dnotify.h"

#include <atomic>
#include <unordered_map>
#include <utility>
#include <vector>

#include "abi/linux/fcntl.h"
#include "absl/synchronization/mutex.h"
#include "sentry/vfs/file_description.h"

namespace sentry::vfs::dnotify {

namespace {

namespace L = abi_linux;

constexpr uint32_t kEvents = L::kDN_ACCESS | L::kDN_MODIFY | L::kDN_CREATE | L::kDN_DELETE |
                             L::kDN_RENAME | L::kDN_ATTRIB;

struct Entry {
  std::weak_ptr<FileDescription> file;
  const FileDescription* key;  // the file's address, for Forget
  const void* owner;
  uint32_t events;
  Deliver deliver;
};

// Watches by directory. A watch's file holds its path and so the inode;
// once the file is gone the pointer may name another inode, so an entry
// whose file has expired is dropped, never fired, wherever it is seen.
struct Registry {
  absl::Mutex mu;
  std::unordered_map<const Inode*, std::vector<Entry>> by_dir ABSL_GUARDED_BY(mu);
  std::atomic<size_t> count{0};  // entries in by_dir
};

Registry& registry() {
  static Registry* r = new Registry();
  return *r;
}

}  // namespace

bool Active() { return registry().count.load(std::memory_order_relaxed) != 0; }

void Watch(const std::shared_ptr<FileDescription>& file, const void* owner, uint32_t events,
           Deliver deliver) {
  const Inode* dir = file->inode();
  if (dir == nullptr) return;
  Registry& r = registry();
  absl::MutexLock l(&r.mu);
  // Sweep watches whose files are gone (rare calls; keeps the map small).
  for (auto it = r.by_dir.begin(); it != r.by_dir.end();) {
    std::vector<Entry>& v = it->second;
    size_t before = v.size();
    std::erase_if(v, [](const Entry& e) { return e.file.expired(); });
    r.count.fetch_sub(before - v.size());
    it = v.empty() ? r.by_dir.erase(it) : std::next(it);
  }
  std::vector<Entry>& v = r.by_dir[dir];
  for (Entry& e : v) {
    if (e.key == file.get() && e.owner == owner) {
      e.events |= events;
      e.deliver = std::move(deliver);
      return;
    }
  }
  v.push_back(Entry{file, file.get(), owner, events, std::move(deliver)});
  r.count.fetch_add(1);
}

void Forget(const FileDescription* file, const void* owner) {
  if (!Active()) return;
  Registry& r = registry();
  absl::MutexLock l(&r.mu);
  for (auto it = r.by_dir.begin(); it != r.by_dir.end();) {
    std::vector<Entry>& v = it->second;
    size_t before = v.size();
    std::erase_if(v, [&](const Entry& e) { return e.key == file && e.owner == owner; });
    r.count.fetch_sub(before - v.size());
    it = v.empty() ? r.by_dir.erase(it) : std::next(it);
  }
}

void Notify(const Inode* dir, uint32_t events) {
  if (dir == nullptr || !Active()) return;
  Registry& r = registry();
  std::vector<std::pair<Deliver, int>> fire;
  std::vector<std::shared_ptr<FileDescription>> files;  // released unlocked
  {
    absl::MutexLock l(&r.mu);
    auto it = r.by_dir.find(dir);
    if (it == r.by_dir.end()) return;
    std::vector<Entry>& v = it->second;
    for (size_t i = 0; i < v.size();) {
      std::shared_ptr<FileDescription> f = v[i].file.lock();
      bool drop = f == nullptr;
      if (f != nullptr && (v[i].events & events & kEvents)) {
        fire.emplace_back(v[i].deliver, f->sigio_signal());
        drop = !(v[i].events & L::kDN_MULTISHOT);  // one-shot: fired once
      }
      if (f != nullptr) files.push_back(std::move(f));
      if (drop) {
        v.erase(v.begin() + static_cast<std::ptrdiff_t>(i));
        r.count.fetch_sub(1);
      } else {
        ++i;
      }
    }
    if (v.empty()) r.by_dir.erase(it);
  }
  for (auto& [deliver, sig] : fire) deliver(sig);
}

void NotifyParent(const Path& p, uint32_t events) {
  if (!Active() || p.dentry == nullptr) return;
  Notify(p.dentry->inode().get(), events);
  if (std::shared_ptr<Dentry> parent = p.dentry->parent()) Notify(parent->inode().get(), events);
}

}  // namespace sentry::vfs::dnotify
