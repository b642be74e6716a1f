// pybind_matrix: a pybind11 class exported with def_buffer, as extension authors write it. Debian's
// pybind11 2.10 hands back the same shape and strides for every request that asks for strides, so a
// transposed matrix answers PyBUF_C_CONTIGUOUS with a Fortran-ordered view (fixed upstream by
// pybind/pybind11#5407). Built in the build tree for the conformance check's tests.
#include <pybind11/pybind11.h>

#include <cstdint>
#include <vector>

namespace py = pybind11;

namespace {

// rows x cols int32 values 0, 1, 2, ... in C order; `transposed` exports the cols x rows transpose
// of that memory (Fortran strides), without copying.
class Matrix
{
public:
    Matrix(py::ssize_t rows, py::ssize_t cols, bool transposed)
        : m_rows(rows), m_cols(cols), m_transposed(transposed), m_values(std::size_t(rows * cols))
    {
        for (std::size_t i = 0; i < m_values.size(); ++i)
            m_values[i] = std::int32_t(i);
    }

    py::buffer_info buffer()
    {
        const py::ssize_t item = sizeof(std::int32_t);
        if (m_transposed)
            return py::buffer_info(m_values.data(), item, py::format_descriptor<std::int32_t>::format(), 2,
                                   {m_cols, m_rows}, {item, item * m_cols});
        return py::buffer_info(m_values.data(), item, py::format_descriptor<std::int32_t>::format(), 2,
                               {m_rows, m_cols}, {item * m_cols, item});
    }

private:
    py::ssize_t m_rows;
    py::ssize_t m_cols;
    bool m_transposed;
    std::vector<std::int32_t> m_values;
};

} // namespace

PYBIND11_MODULE(pybind_matrix, m)
{
    py::class_<Matrix>(m, "Matrix", py::buffer_protocol())
        .def(py::init<py::ssize_t, py::ssize_t, bool>(), py::arg("rows"), py::arg("cols"),
             py::arg("transposed") = false)
        .def_buffer(&Matrix::buffer);
}
