#include "requestarguments.h"

namespace py = pybind11;

namespace stridescope {

namespace {

// A str argument's text; TypeError naming the argument otherwise.
std::string textArgument(py::handle value, const char* name)
{
    if (!py::isinstance<py::str>(value))
        throw py::type_error(std::string(name) + " must be a str, not " + Py_TYPE(value.ptr())->tp_name);
    return value.cast<std::string>();
}

} // namespace

ConversionRequest requestArguments(py::handle buffertype, py::handle order, const ConversionRequest& defaults)
{
    ConversionRequest request = defaults;
    if (!buffertype.is_none()) {
        const auto type = ConversionRequest::parseBufferType(textArgument(buffertype, "buffertype"));
        if (!type)
            throw py::value_error("buffertype must be \"read\" or \"write\", not " +
                                  py::repr(buffertype).cast<std::string>());
        request.bufferType = *type;
    }
    if (!order.is_none()) {
        const auto orderChar = ConversionRequest::parseOrder(textArgument(order, "order"));
        if (!orderChar)
            throw py::value_error("order must be \"C\", \"F\" or \"A\", not " +
                                  py::repr(order).cast<std::string>());
        request.order = *orderChar;
    }
    return request;
}

} // namespace stridescope
