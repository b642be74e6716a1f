#include <cstdio>

int main()
{
    std::puts("stridescope " STRIDESCOPE_VERSION);
    return 0;
}
