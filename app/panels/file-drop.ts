/**
 * Files from a drag-and-drop onto a panel or from its hidden file picker, one handler for both.
 * `dropProps` go on the panel element (it shows `dragging` while a file hovers over it);
 * `pickerProps` go on an `<input type="file" hidden>` and clear it after each pick, so choosing
 * the same file again still loads it.
 */
import { useState, type ChangeEvent, type DragEvent } from 'react';

export interface FileDrop {
  dragging: boolean;
  dropProps: {
    onDragOver: (e: DragEvent) => void;
    onDragLeave: () => void;
    onDrop: (e: DragEvent) => void;
  };
  pickerProps: { onChange: (e: ChangeEvent<HTMLInputElement>) => void };
}

export function useFileDrop(onFiles: (files: FileList | null) => void): FileDrop {
  const [dragging, setDragging] = useState(false);
  return {
    dragging,
    dropProps: {
      onDragOver: (e) => {
        e.preventDefault();
        setDragging(true);
      },
      onDragLeave: () => setDragging(false),
      onDrop: (e) => {
        e.preventDefault();
        setDragging(false);
        onFiles(e.dataTransfer.files);
      },
    },
    pickerProps: {
      onChange: (e) => {
        onFiles(e.target.files);
        e.target.value = '';
      },
    },
  };
}
