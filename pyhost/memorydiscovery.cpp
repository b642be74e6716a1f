#include "memorydiscovery.h"

#include <vector>

namespace stridescope {

namespace {

// The bytes an exported buffer reaches, as absolute addresses (direct layouts only).
std::optional<std::pair<Address, Address>> exportedRange(const Py_buffer& v)
{
    if (v.suboffsets || v.buf == nullptr || v.len <= 0)
        return std::nullopt;
    if (v.ndim == 0 || v.strides == nullptr) {
        Address a = reinterpret_cast<Address>(v.buf);
        return std::make_pair(a, a + Address(v.len));
    }
    __int128 lo = 0, hi = 0;
    for (int d = 0; d < v.ndim; ++d) {
        if (v.shape[d] == 0)
            return std::nullopt;
        __int128 reach = __int128(v.shape[d] - 1) * v.strides[d];
        (reach < 0 ? lo : hi) += reach;
    }
    Address a = reinterpret_cast<Address>(v.buf);
    return std::make_pair(Address(__int128(a) + lo), Address(__int128(a) + hi + v.itemsize));
}

std::optional<std::pair<Address, Address>> rangeOf(PyObject* candidate)
{
    if (!candidate || !PyObject_CheckBuffer(candidate))
        return std::nullopt;
    Py_buffer v;
    if (PyObject_GetBuffer(candidate, &v, PyBUF_FULL_RO) < 0) {
        PyErr_Clear();
        return std::nullopt;
    }
    auto range = exportedRange(v);
    PyBuffer_Release(&v);
    return range;
}

} // namespace

MemoryBlock MemoryDiscovery::find(PyObject* object, const Py_buffer& view,
                                  std::optional<std::pair<Address, Address>> reach)
{
    MemoryBlock block;
    if (reach) {
        block.base = reach->first;
        block.size = ByteCount(reach->second - reach->first);
    } else {
        block.base = reinterpret_cast<Address>(view.buf);
        block.size = 0;
    }
    block.owner = reachOnlyOwner;
    if (!reach)
        return block;

    // Candidates: what a memoryview wraps, then the numpy .base chain of each.
    std::vector<PyObject*> candidates; // borrowed or owned below
    std::vector<PyObject*> owned;
    PyObject* current = object;
    if (PyMemoryView_Check(current) && PyMemoryView_GET_BASE(current))
        current = PyMemoryView_GET_BASE(current);
    for (int depth = 0; current && depth < 32; ++depth) {
        if (current != object)
            candidates.push_back(current);
        PyObject* next = PyObject_GetAttrString(current, "base");
        if (!next) {
            PyErr_Clear();
            break;
        }
        if (next == Py_None || next == current || PyBytes_Check(current)) {
            Py_DECREF(next);
            break;
        }
        owned.push_back(next);
        current = next;
        if (PyMemoryView_Check(current) && PyMemoryView_GET_BASE(current))
            current = PyMemoryView_GET_BASE(current);
    }
    // The object whose memory holds buf but not every byte the layout reaches: the layout lies.
    std::optional<std::pair<Address, Address>> holder;
    std::string holderType;
    bool contained = false;
    for (PyObject* candidate : candidates) {
        auto range = rangeOf(candidate);
        if (!range)
            continue;
        const Address buf = reinterpret_cast<Address>(view.buf);
        if (range->first > reach->first || range->second < reach->second) {
            if (buf >= range->first && buf < range->second &&
                (!holder || range->second - range->first > holder->second - holder->first)) {
                holder = range;
                holderType = Py_TYPE(candidate)->tp_name;
            }
            continue;
        }
        if (ByteCount(range->second - range->first) >= block.size) {
            block.base = range->first;
            block.size = ByteCount(range->second - range->first);
            block.owner = std::string("the memory of the ") + Py_TYPE(candidate)->tp_name + " it views";
            contained = true;
        }
    }
    if (!contained && holder) {
        const ByteCount described = block.size;
        block.base = holder->first;
        block.size = ByteCount(holder->second - holder->first);
        block.owner = "the memory of the " + holderType + " it views";
        block.overreach = "the exporter describes " + std::to_string(described) + " bytes over a " +
                          std::to_string(block.size) + "-byte " + holderType;
    }
    for (PyObject* o : owned)
        Py_DECREF(o);
    return block;
}

} // namespace stridescope
