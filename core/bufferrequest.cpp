#include "bufferrequest.h"

namespace stridescope {

char BufferRequest::contiguityOrder() const
{
    if (asks(CContiguous))
        return 'C';
    if (asks(FContiguous))
        return 'F';
    if (asks(AnyContiguous))
        return 'A';
    return 0;
}

const std::vector<BufferRequest>& BufferRequest::standard()
{
    static const std::vector<BufferRequest> requests{
        {"PyBUF_SIMPLE", Simple},
        {"PyBUF_WRITABLE", Writable},
        {"PyBUF_FORMAT", Format},
        {"PyBUF_ND", ND},
        {"PyBUF_STRIDES", Strides},
        {"PyBUF_C_CONTIGUOUS", CContiguous},
        {"PyBUF_F_CONTIGUOUS", FContiguous},
        {"PyBUF_ANY_CONTIGUOUS", AnyContiguous},
        {"PyBUF_INDIRECT", Indirect},
        {"PyBUF_CONTIG", ND | Writable},
        {"PyBUF_CONTIG_RO", ND},
        {"PyBUF_STRIDED", Strides | Writable},
        {"PyBUF_STRIDED_RO", Strides},
        {"PyBUF_RECORDS", Strides | Writable | Format},
        {"PyBUF_RECORDS_RO", Strides | Format},
        {"PyBUF_FULL", Indirect | Writable | Format},
        {"PyBUF_FULL_RO", Indirect | Format},
    };
    return requests;
}

} // namespace stridescope
