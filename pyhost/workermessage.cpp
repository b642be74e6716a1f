#include "workermessage.h"

#include <cstring>

namespace stridescope {

std::string WorkerMessage::header(Kind kind, std::uint64_t payloadSize)
{
    std::string h(kHeaderSize, '\0');
    const std::uint32_t magic = kMagic, k = std::uint32_t(kind);
    std::memcpy(h.data(), &magic, 4);
    std::memcpy(h.data() + 4, &k, 4);
    std::memcpy(h.data() + 8, &payloadSize, 8);
    return h;
}

std::pair<WorkerMessage::Kind, std::uint64_t> WorkerMessage::parseHeader(std::string_view bytes)
{
    if (bytes.size() < kHeaderSize)
        throw WireError("a message header is cut short");
    std::uint32_t magic = 0, kind = 0;
    std::uint64_t size = 0;
    std::memcpy(&magic, bytes.data(), 4);
    std::memcpy(&kind, bytes.data() + 4, 4);
    std::memcpy(&size, bytes.data() + 8, 8);
    if (magic != kMagic)
        throw WireError("a message does not start with the worker protocol's mark");
    if (kind < std::uint32_t(Kind::Ready) || kind > std::uint32_t(Kind::ConsoleCompletions))
        throw WireError("a message of unknown kind " + std::to_string(kind));
    if (size > kMaxPayload)
        throw WireError("a message of " + std::to_string(size) + " bytes, more than the protocol allows");
    return {Kind(kind), size};
}

} // namespace stridescope
