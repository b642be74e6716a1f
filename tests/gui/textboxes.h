#pragma once

// Where a picture's text lands, without looking at pixels: paint into a TextBoxes device and read
// back the box of every text run (its advance width by ascent + descent, in device pixels, after
// the painter's transform) and the clip it was drawn under. For audits that no text overlaps other
// text and none leaves the picture or is cut by a clip. Header-only, for any test under tests/gui.
//
//     TextBoxes boxes(QSize(800, 600));
//     { QPainter p(&boxes); painter.paint(p, ...); }
//     QVERIFY2(boxes.problems().isEmpty(), qPrintable(boxes.problems().join('\n')));

#include <QPaintDevice>
#include <QPaintEngine>
#include <QPainter>
#include <QRectF>
#include <QStringList>
#include <QTextItem>

#include <memory>
#include <vector>

class TextBoxes : public QPaintDevice
{
public:
    struct Box
    {
        QRectF rect; // device pixels
        QString text;
        QRectF clip; // device pixels; null when the painter did not clip
    };

    explicit TextBoxes(QSize size) : m_size(size), m_engine(std::make_unique<Engine>(this)) {}
    ~TextBoxes() override = default;

    QPaintEngine* paintEngine() const override { return m_engine.get(); }
    const std::vector<Box>& boxes() const { return m_boxes; }
    QRectF picture() const { return QRectF(QPointF(0, 0), QSizeF(m_size)); }

    // Boxes with this text (exactly), for checks that a value was drawn where it belongs.
    std::vector<Box> withText(const QString& text) const
    {
        std::vector<Box> out;
        for (const Box& b : m_boxes)
            if (b.text == text)
                out.push_back(b);
        return out;
    }

    // One line per problem: two texts overlapping (by more than `tolerance` pixels both ways), a
    // text outside `area` (default: the whole picture), a text cut by the clip it was drawn under.
    QStringList problems(QRectF area = {}, qreal tolerance = 0.5) const
    {
        if (area.isNull())
            area = picture();
        QStringList out;
        const auto name = [](const Box& b) {
            return QStringLiteral("'%1' at %2,%3 %4x%5")
                .arg(b.text)
                .arg(b.rect.x(), 0, 'f', 1)
                .arg(b.rect.y(), 0, 'f', 1)
                .arg(b.rect.width(), 0, 'f', 1)
                .arg(b.rect.height(), 0, 'f', 1);
        };
        const auto inside = [tolerance](const QRectF& outer, const QRectF& inner) {
            return outer.adjusted(-tolerance, -tolerance, tolerance, tolerance).contains(inner);
        };
        for (std::size_t i = 0; i < m_boxes.size(); ++i) {
            const Box& a = m_boxes[i];
            if (!inside(area, a.rect))
                out << QStringLiteral("outside the picture: ") + name(a);
            if (!a.clip.isNull() && !inside(a.clip, a.rect))
                out << QStringLiteral("cut by the clip %1,%2 %3x%4: ")
                               .arg(a.clip.x(), 0, 'f', 1)
                               .arg(a.clip.y(), 0, 'f', 1)
                               .arg(a.clip.width(), 0, 'f', 1)
                               .arg(a.clip.height(), 0, 'f', 1) +
                           name(a);
            for (std::size_t j = i + 1; j < m_boxes.size(); ++j) {
                const QRectF both = a.rect & m_boxes[j].rect;
                if (both.width() > tolerance && both.height() > tolerance)
                    out << QStringLiteral("overlap: ") + name(a) + QStringLiteral(" and ") + name(m_boxes[j]);
            }
        }
        return out;
    }

protected:
    int metric(PaintDeviceMetric metric) const override
    {
        switch (metric) {
        case PdmWidth:
            return m_size.width();
        case PdmHeight:
            return m_size.height();
        case PdmWidthMM:
            return m_size.width() * 254 / 960;
        case PdmHeightMM:
            return m_size.height() * 254 / 960;
        case PdmNumColors:
            return 0x7fffffff;
        case PdmDepth:
            return 32;
        case PdmDpiX:
        case PdmDpiY:
        case PdmPhysicalDpiX:
        case PdmPhysicalDpiY:
            return 96; // what a QImage says
        case PdmDevicePixelRatio:
            return 1;
        case PdmDevicePixelRatioScaled:
            return int(devicePixelRatioFScale());
        default:
            return 0;
        }
    }

private:
    // Records text; everything else is accepted and dropped.
    class Engine : public QPaintEngine
    {
    public:
        explicit Engine(TextBoxes* device) : QPaintEngine(AllFeatures), m_device(device) {}
        bool begin(QPaintDevice*) override { return true; }
        bool end() override { return true; }
        void updateState(const QPaintEngineState&) override {}
        void drawPixmap(const QRectF&, const QPixmap&, const QRectF&) override {}
        void drawImage(const QRectF&, const QImage&, const QRectF&, Qt::ImageConversionFlags) override {}
        void drawTiledPixmap(const QRectF&, const QPixmap&, const QPointF&) override {}
        void drawRects(const QRectF*, int) override {}
        void drawRects(const QRect*, int) override {}
        void drawLines(const QLineF*, int) override {}
        void drawLines(const QLine*, int) override {}
        void drawEllipse(const QRectF&) override {}
        void drawPath(const QPainterPath&) override {}
        void drawPoints(const QPointF*, int) override {}
        void drawPolygon(const QPointF*, int, PolygonDrawMode) override {}
        Type type() const override { return User; }
        void drawTextItem(const QPointF& p, const QTextItem& item) override
        {
            if (item.text().trimmed().isEmpty())
                return;
            const QTransform t = painter()->combinedTransform();
            const QRectF local(p.x(), p.y() - item.ascent(), item.width(), item.ascent() + item.descent());
            Box box{t.mapRect(local), item.text(), {}};
            if (painter()->hasClipping())
                box.clip = painter()->clipBoundingRect().isEmpty()
                               ? QRectF(-1e9, -1e9, 1, 1) // clipped to nothing: any text is cut
                               : t.mapRect(painter()->clipBoundingRect());
            m_device->m_boxes.push_back(box);
        }

    private:
        TextBoxes* m_device;
    };

    QSize m_size;
    std::unique_ptr<Engine> m_engine;
    std::vector<Box> m_boxes;
};
