#pragma once

#include "core/units.h"

#include <QObject>

namespace stridescope {

// What the user points at, shared by every view: hovering a cell highlights its bytes in the memory
// and result views; hovering a byte highlights every element that reaches it; a click pins it.
class HighlightModel : public QObject
{
    Q_OBJECT

public:
    enum class Region
    {
        None,
        SourceMemory,
        ResultMemory
    };

    struct Target
    {
        ElementIndex element = -1;    // a logical element (C-order position), or -1
        Region region = Region::None; // or a byte in one of the memory blocks
        ByteOffset byte = -1;
        bool operator==(const Target&) const = default;
        bool isEmpty() const { return element < 0 && region == Region::None; }
    };

    explicit HighlightModel(QObject* parent = nullptr) : QObject(parent) {}

    // The pinned target wins over the hovered one.
    Target current() const { return m_pinned.isEmpty() ? m_hovered : m_pinned; }
    Target hovered() const { return m_hovered; }
    Target pinned() const { return m_pinned; }

    void hover(const Target& target)
    {
        if (target == m_hovered)
            return;
        m_hovered = target;
        emit changed();
    }
    void clearHover() { hover({}); }
    // Pins the target, or unpins when it is pinned already.
    void togglePin(const Target& target)
    {
        m_pinned = (m_pinned == target) ? Target{} : target;
        emit changed();
    }
    // Pins the target whatever was pinned (an empty target unpins): the copy's step player.
    void pin(const Target& target)
    {
        if (target == m_pinned)
            return;
        m_pinned = target;
        emit changed();
    }
    void clear()
    {
        m_hovered = {};
        m_pinned = {};
        emit changed();
    }

signals:
    void changed();

private:
    Target m_hovered;
    Target m_pinned;
};

} // namespace stridescope
